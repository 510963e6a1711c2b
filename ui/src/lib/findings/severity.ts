import type { Severity } from '$lib/bindings/Severity';

/** How a severity is named to a person (and to a screen reader, next to its icon). */
export const SEVERITY_LABELS: Record<Severity, string> = {
  error: 'Error',
  warning: 'Warning',
  info: 'Info',
};

/** "2 errors, 1 warning, 3 notes": the counts that are not zero, most serious first. */
export function severityCounts(severities: readonly Severity[]): string {
  const count = (severity: Severity) => severities.filter((s) => s === severity).length;
  const parts: [number, string, string][] = [
    [count('error'), 'error', 'errors'],
    [count('warning'), 'warning', 'warnings'],
    [count('info'), 'note', 'notes'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`)
    .join(', ');
}
