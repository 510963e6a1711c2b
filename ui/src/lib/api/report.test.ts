import { beforeEach, describe, expect, it, vi } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { ApiError } from './errors';
import { openReport, reportPreview, saveReport } from './report';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

describe('report commands', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    invokeMock.mockResolvedValue(null);
  });

  it.each([
    [
      'report_preview',
      () =>
        reportPreview(
          { kind: 'directory', id: 'dir-1' },
          { personal_data: true, identifiers: false },
          'json',
        ),
      {
        subject: { kind: 'directory', id: 'dir-1' },
        options: { personal_data: true, identifiers: false },
        format: 'json',
      },
    ],
    [
      'report_preview',
      () =>
        reportPreview(
          { kind: 'scim', id: 'c-1' },
          { personal_data: false, identifiers: true },
          'html',
        ),
      {
        subject: { kind: 'scim', id: 'c-1' },
        options: { personal_data: false, identifiers: true },
        format: 'html',
      },
    ],
    [
      'save_report',
      () => saveReport('<!doctype html>', 'report-contoso.html'),
      { content: '<!doctype html>', fileName: 'report-contoso.html' },
    ],
    ['open_report', () => openReport(), {}],
  ])('%s is invoked with camelCase arguments', async (command, run, args) => {
    await run();
    expect(invokeMock).toHaveBeenCalledTimes(1);
    expect(invokeMock).toHaveBeenCalledWith(command, args);
  });

  it('save_report answers the saved path, or null when the person cancelled', async () => {
    invokeMock.mockResolvedValueOnce('/home/ada/report.json');
    await expect(saveReport('{}', 'report.json')).resolves.toBe('/home/ada/report.json');
    await expect(saveReport('{}', 'report.json')).resolves.toBeNull();
  });

  it('a file that is not a report comes back as an ApiError of kind invalid_report', async () => {
    invokeMock.mockRejectedValueOnce({
      kind: 'invalid_report',
      message: 'the file is not JSON: expected value at line 1 column 1',
      field: null,
      fields: [],
    });
    const failure = await openReport().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      kind: 'invalid_report',
      message: 'the file is not JSON: expected value at line 1 column 1',
    });
  });
});
