import type { ScimDryRunReport } from '$lib/bindings/ScimDryRunReport';
import type { ScimDryRunStep } from '$lib/bindings/ScimDryRunStep';
import type { ScimStepStatus } from '$lib/bindings/ScimStepStatus';

/** Which steps the log shows. */
export interface LogFilter {
  /** The statuses shown; all when empty. */
  statuses: ReadonlySet<ScimStepStatus>;
  /** Text looked for, without regard to case, in the step's name, request, answer and findings. */
  text: string;
}

/** A step with its position in the whole log, so filtered views keep the step numbers. */
export interface NumberedStep {
  number: number;
  step: ScimDryRunStep;
}

function haystack(step: ScimDryRunStep): string {
  const exchange = step.exchange;
  return [
    step.name,
    step.note ?? '',
    exchange?.method ?? '',
    exchange?.path ?? '',
    exchange?.status?.toString() ?? '',
    exchange?.reason ?? '',
    exchange?.request_body ?? '',
    exchange?.response_body ?? '',
    exchange?.error ?? '',
    ...step.findings.flatMap((f) => [f.code, f.message, f.fix]),
  ]
    .join('\n')
    .toLowerCase();
}

/** The steps that pass the filter, numbered from 1 in the whole log. */
export function filterSteps(steps: readonly ScimDryRunStep[], filter: LogFilter): NumberedStep[] {
  const needle = filter.text.trim().toLowerCase();
  return steps
    .map((step, i) => ({ number: i + 1, step }))
    .filter(
      ({ step }) =>
        (filter.statuses.size === 0 || filter.statuses.has(step.status)) &&
        (needle === '' || haystack(step).includes(needle)),
    );
}

/** How many steps have each status. */
export function statusCounts(steps: readonly ScimDryRunStep[]): Record<ScimStepStatus, number> {
  const counts: Record<ScimStepStatus, number> = { passed: 0, warning: 0, failed: 0, skipped: 0 };
  for (const step of steps) counts[step.status] += 1;
  return counts;
}

/** A body as it is easiest to read: pretty JSON when it is JSON, else as received. */
export function prettyBody(body: string | null): string {
  if (body === null || body === '') return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** One step as JSON, for copying into a support case. */
export function stepAsJson(step: ScimDryRunStep): string {
  return JSON.stringify(step, null, 2);
}

/** The whole report as JSON. */
export function logAsJson(report: ScimDryRunReport): string {
  return JSON.stringify(report, null, 2);
}

/** The badge tone of a step's status. */
export type StepTone = 'success' | 'warning' | 'danger' | 'neutral';

/** How a step's status is named and coloured, in the order the log's filters offer them. */
export const STEP_STATUSES: readonly { value: ScimStepStatus; label: string; tone: StepTone }[] = [
  { value: 'passed', label: 'Passed', tone: 'success' },
  { value: 'warning', label: 'Warning', tone: 'warning' },
  { value: 'failed', label: 'Failed', tone: 'danger' },
  { value: 'skipped', label: 'Skipped', tone: 'neutral' },
];

/** The badge tone of each step status. */
export const STEP_TONES = Object.fromEntries(STEP_STATUSES.map((s) => [s.value, s.tone])) as Record<
  ScimStepStatus,
  StepTone
>;
