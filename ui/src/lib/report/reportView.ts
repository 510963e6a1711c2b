import { openReport } from '$lib/api';
import type { DiagnosticsReport } from '$lib/bindings/DiagnosticsReport';
import type { SignInResult } from '$lib/bindings/SignInResult';
import { router } from '$lib/navigation/router.svelte';

/** What a report is about, in a few words: the directory's name, or the SCIM connection's. */
export function reportTitle(report: DiagnosticsReport): string {
  return report.directory?.name ?? report.scim?.connection?.name ?? '';
}

/** When a test sign-in ended: its start, plus where its last step ended. */
export function signInFinishedAt(result: SignInResult): number {
  const started = Date.parse(result.trace.started_at);
  const end = Math.max(0, ...result.trace.steps.map((s) => s.started_ms + s.duration_ms));
  return started + end;
}

/**
 * Asks for a JSON report in the native open dialog and shows it on the report screen. Answers
 * false when the person cancelled; fails with the reason when the file is not a report.
 */
export async function openReportFile(): Promise<boolean> {
  const report = await openReport();
  if (report === null) return false;
  router.navigate({ screen: 'report', report });
  return true;
}
