import type { ReportFormat } from '$lib/bindings/ReportFormat';
import type { ReportSubject } from '$lib/bindings/ReportSubject';

/**
 * The one "Save report" dialog of the app: a screen asks for it with what the report is about,
 * and App shows it over whatever screen is open.
 */
class ReportDialogState {
  /** What the report is about; null while the dialog is closed. */
  subject = $state<ReportSubject | null>(null);
  /** The directory's or connection's name, for the dialog's title. */
  name = $state('');
  /** The choices of the last report, kept for the next one in this session. */
  personalData = $state(false);
  identifiers = $state(false);
  format = $state<ReportFormat>('html');

  open(subject: ReportSubject, name: string): void {
    this.subject = subject;
    this.name = name;
  }

  close(): void {
    this.subject = null;
  }
}

export const reportDialog = new ReportDialogState();
