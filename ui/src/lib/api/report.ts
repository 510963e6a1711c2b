import type { DiagnosticsReport } from '$lib/bindings/DiagnosticsReport';
import type { ReportFormat } from '$lib/bindings/ReportFormat';
import type { ReportOptions } from '$lib/bindings/ReportOptions';
import type { ReportPreview } from '$lib/bindings/ReportPreview';
import type { ReportSubject } from '$lib/bindings/ReportSubject';
import { call } from './call';

/**
 * Builds the diagnostics report of `subject` and answers exactly what its file will hold. A
 * directory's report runs a fresh discovery (it may take a few seconds) and holds its last test
 * sign-in of this session; a SCIM connection's holds its last Test Connection, review and dry
 * run. Secrets are always removed; `options` says what else is replaced by placeholders.
 */
export function reportPreview(
  subject: ReportSubject,
  options: ReportOptions,
  format: ReportFormat,
): Promise<ReportPreview> {
  return call('report_preview', { subject, options, format });
}

/**
 * Writes `content` (a preview's) where the person chooses in the native save dialog, which
 * suggests `fileName`. Answers the path written, or null when the person cancelled.
 */
export function saveReport(content: string, fileName: string): Promise<string | null> {
  return call('save_report', { content, fileName });
}

/**
 * Asks the person for a JSON report in the native open dialog and answers it, read; null when
 * they cancelled. A file that is not a report fails with the kind "invalid_report", saying why.
 */
export function openReport(): Promise<DiagnosticsReport | null> {
  return call('open_report');
}
