import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import type { ReportPreview } from '$lib/bindings/ReportPreview';
import ReportDialog from './ReportDialog.svelte';
import { reportDialog } from './reportDialog.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

function preview(content: string, overrides: Partial<ReportPreview> = {}): ReportPreview {
  return { content, file_name: 'contoso-report.html', has_sign_in: true, ...overrides };
}

describe('the report dialog', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    reportDialog.close();
    reportDialog.personalData = false;
    reportDialog.identifiers = false;
    reportDialog.format = 'html';
  });

  it('previews exactly the file, builds it again for each option, and saves that content', async () => {
    invokeMock.mockImplementation((command: string, args?: unknown) => {
      if (command === 'report_preview') {
        const { options, format } = args as {
          options: { personal_data: boolean; identifiers: boolean };
          format: string;
        };
        const who = options.personal_data ? '[email-1]' : 'ann@example.org';
        return Promise.resolve(
          preview(`${format} report of ${who}`, {
            file_name: `contoso-report.${format}`,
          }),
        );
      }
      if (command === 'save_report') return Promise.resolve('/reports/contoso-report.json');
      return Promise.reject(new Error(`unexpected ${command}`));
    });
    render(ReportDialog);
    reportDialog.open({ kind: 'directory', id: 'dir-1' }, 'Contoso staff');

    expect(await screen.findByText('html report of ann@example.org')).toBeInTheDocument();
    expect(screen.getByTestId('report-dialog')).toHaveTextContent('Contoso staff');

    await fireEvent.click(screen.getByTestId('report-redact'));
    expect(await screen.findByText('html report of [email-1]')).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('report-format-json'));
    expect(await screen.findByText('json report of [email-1]')).toBeInTheDocument();
    expect(invokeMock).toHaveBeenLastCalledWith('report_preview', {
      subject: { kind: 'directory', id: 'dir-1' },
      options: { personal_data: true, identifiers: false },
      format: 'json',
    });

    await fireEvent.click(screen.getByTestId('report-save'));
    expect(await screen.findByTestId('report-saved-path')).toHaveTextContent(
      '/reports/contoso-report.json',
    );
    expect(invokeMock).toHaveBeenCalledWith('save_report', {
      content: 'json report of [email-1]',
      fileName: 'contoso-report.json',
    });
    expect(screen.getByTestId('report-close')).toHaveTextContent('Close');

    await fireEvent.click(screen.getByTestId('report-close'));
    expect(reportDialog.subject).toBeNull();
    expect(screen.queryByTestId('report-preview')).toBeNull();

    // The next report starts from the same choices.
    reportDialog.open({ kind: 'directory', id: 'dir-1' }, 'Contoso staff');
    expect(await screen.findByText('json report of [email-1]')).toBeInTheDocument();
    expect(screen.getByTestId('report-format-json')).toBeChecked();
  });

  it('says why a report could not be made, and that a directory was not tested yet', async () => {
    invokeMock.mockImplementation((command: string, args?: unknown) => {
      if (command !== 'report_preview') return Promise.reject(new Error(command));
      const { subject } = args as { subject: { kind: string } };
      return subject.kind === 'scim'
        ? Promise.reject({
            kind: 'not_found',
            message: 'no SCIM connection has this id; it may have been deleted',
            field: null,
            fields: [],
          })
        : Promise.resolve(preview('untested', { has_sign_in: false }));
    });
    render(ReportDialog);
    reportDialog.open({ kind: 'directory', id: 'dir-1' }, 'Contoso staff');
    expect(await screen.findByTestId('report-no-sign-in')).toHaveTextContent(
      'run Test sign-in first',
    );

    reportDialog.open({ kind: 'scim', id: 'c-1' }, 'Contoso SCIM');
    expect(await screen.findByTestId('report-error')).toHaveTextContent(
      'no SCIM connection has this id',
    );
    await waitFor(() => {
      expect(screen.getByTestId('report-save')).toBeDisabled();
    });
  });

  it('keeps the preview when the person cancels the save dialog', async () => {
    invokeMock.mockImplementation((command: string) =>
      command === 'report_preview' ? Promise.resolve(preview('the report')) : Promise.resolve(null),
    );
    render(ReportDialog);
    reportDialog.open({ kind: 'directory', id: 'dir-1' }, 'Contoso staff');
    await screen.findByText('the report');
    await fireEvent.click(screen.getByTestId('report-save'));
    await waitFor(() => {
      expect(invokeMock).toHaveBeenCalledWith('save_report', expect.anything());
    });
    expect(screen.queryByTestId('report-saved-path')).toBeNull();
    expect(screen.getByText('the report')).toBeInTheDocument();
    expect(screen.getByTestId('report-close')).toHaveTextContent('Cancel');
  });
});
