import type { StaffCheck } from '$lib/bindings/StaffCheck';
import type { StaffRule } from '$lib/bindings/StaffRule';
import type { TakenAs } from '$lib/bindings/TakenAs';
import { shortJson } from '$lib/signin/claimFormat';
import { unavailableText } from '$lib/signin/sources';

/** How a resolved value was read from its claim, when it was not plain text; else null. */
export function takenAsText(takenAs: TakenAs): string | null {
  switch (takenAs.kind) {
    case 'text':
      return null;
    case 'number_as_text':
      return 'a number, read as text';
    case 'boolean_as_text':
      return 'a boolean, read as text';
    case 'first_element':
      return `the first of ${takenAs.count} values`;
  }
}

/** The staff identification rule as the editor names it, with its claim in backticks. */
export function staffRuleText(rule: StaffRule): string {
  switch (rule.mode) {
    case 'none':
      return 'None: only public users';
    case 'always':
      return 'Always: only staff users';
    case 'claim_exists':
      return `If claim type exists: \`${rule.claim}\``;
    case 'claim_equals':
      return `If claim type matches exactly: \`${rule.claim}\` = ${JSON.stringify(rule.value)}`;
  }
}

/** What one source showed when the staff rule looked at it. */
export function staffCheckText(check: StaffCheck): string {
  switch (check.status) {
    case 'unavailable':
      return `not checked: ${unavailableText(check.reason)}`;
    case 'absent':
      return 'claim absent';
    case 'present':
      return `present: ${shortJson(check.value)}`;
    case 'equal':
      return `matches: ${shortJson(check.value)}`;
    case 'not_equal':
      return check.differs_only_in_case === null
        ? `does not match: ${shortJson(check.value)}`
        : `does not match: ${shortJson(check.value)} (“${check.differs_only_in_case}” differs only in letter case)`;
  }
}
