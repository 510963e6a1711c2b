import type { BundleItemKind } from '$lib/bindings/BundleItemKind';
import type { ImportAction } from '$lib/bindings/ImportAction';
import type { ImportFieldChange } from '$lib/bindings/ImportFieldChange';
import type { ImportOutcome } from '$lib/bindings/ImportOutcome';
import type { ImportPlan } from '$lib/bindings/ImportPlan';

/** The longest value shown in a change line; longer ones end with an ellipsis. */
const VALUE_CHARS = 80;

export function itemKindLabel(kind: BundleItemKind): string {
  switch (kind) {
    case 'directory':
      return 'Directory';
    case 'scim_connection':
      return 'SCIM connection';
    case 'setting':
      return 'Setting';
  }
}

export function actionLabel(action: ImportAction): string {
  switch (action) {
    case 'create':
      return 'New';
    case 'update':
      return 'Update';
    case 'unchanged':
      return 'Unchanged';
    case 'conflict':
      return 'Conflict';
  }
}

export function actionTone(action: ImportAction): 'success' | 'info' | 'neutral' | 'warning' {
  switch (action) {
    case 'create':
      return 'success';
    case 'update':
      return 'info';
    case 'unchanged':
      return 'neutral';
    case 'conflict':
      return 'warning';
  }
}

function shown(value: string | null): string {
  if (value === null) return '(none)';
  return value.length > VALUE_CHARS ? `${value.slice(0, VALUE_CHARS - 1)}…` : value;
}

/** One changed field as a line: "token_url: https://a → https://b". */
export function changeText(change: ImportFieldChange): string {
  return `${change.field}: ${shown(change.before)} → ${shown(change.after)}`;
}

/** "2 new, 1 to update, 3 unchanged, 1 conflict; secrets come along." */
export function planSummary(plan: ImportPlan): string {
  const count = (action: ImportAction) => plan.items.filter((i) => i.action === action).length;
  const conflicts = count('conflict');
  const parts = [
    `${count('create')} new`,
    `${count('update')} to update`,
    `${count('unchanged')} unchanged`,
    `${conflicts} ${conflicts === 1 ? 'conflict' : 'conflicts'}`,
  ];
  return `${parts.join(', ')}${plan.has_secrets ? '; secrets come along, encrypted' : ''}.`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "Imported: 2 created, 0 updated, 0 deleted, 1 left as it was; 2 secrets written to the keyring." */
export function outcomeText(o: ImportOutcome): string {
  return (
    `Imported: ${o.created} created, ${o.updated} updated, ${o.deleted} deleted, ` +
    `${o.left} left as ${o.left === 1 ? 'it was' : 'they were'}; ` +
    `${plural(o.secrets_written, 'secret', 'secrets')} written to the keyring.`
  );
}
