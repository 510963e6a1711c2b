import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import type { ImportPlan } from '$lib/bindings/ImportPlan';
import ImportDialog from './ImportDialog.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

const plan: ImportPlan = {
  items: [
    {
      kind: 'directory',
      id: 'd-1',
      name: 'Contoso',
      action: 'update',
      conflicts: [],
      changes: [{ field: 'scopes', before: 'openid', after: 'openid email' }],
    },
    {
      kind: 'directory',
      id: 'd-2',
      name: 'Fabrikam',
      action: 'conflict',
      conflicts: [
        {
          kind: { kind: 'name_taken', other_id: 'd-9' },
          message: 'another directory here is named "Fabrikam"',
        },
      ],
      changes: [],
    },
    {
      kind: 'scim_connection',
      id: 'c-1',
      name: 'LMS',
      action: 'unchanged',
      conflicts: [],
      changes: [],
    },
  ],
  warnings: ['1 of the bundle’s secrets belong to no item of the bundle'],
  has_secrets: true,
};

describe('the import dialog', () => {
  beforeEach(() => {
    invokeMock.mockReset();
  });

  it('asks for the passphrase, shows the plan, waits for every conflict’s choice and imports with it', async () => {
    const passphrases: (string | null)[] = [];
    invokeMock.mockImplementation((command: string, args?: unknown) => {
      const { passphrase } = (args ?? {}) as { passphrase?: string | null };
      switch (command) {
        case 'choose_bundle':
          return Promise.resolve('/bundles/contoso.json');
        case 'plan_bundle_import':
          passphrases.push(passphrase ?? null);
          if (passphrase !== 'right') {
            return Promise.reject({
              kind: 'wrong_passphrase',
              message: passphrase == null ? 'give the passphrase' : 'the passphrase does not open',
              field: null,
              fields: [],
            });
          }
          return Promise.resolve({ source: '/bundles/contoso.json', plan });
        case 'apply_bundle_import':
          return Promise.resolve({
            plan,
            outcome: {
              created: 0,
              updated: 1,
              deleted: 0,
              left: 2,
              secrets_written: 1,
              notes: ['the SCIM connection "LMS" is imported without its link'],
            },
          });
        default:
          return Promise.reject(new Error(`unexpected ${command}`));
      }
    });
    const onimported = vi.fn();
    render(ImportDialog, { onclose: vi.fn(), onimported });

    await fireEvent.click(screen.getByTestId('import-choose-file'));
    const field = await screen.findByTestId('import-passphrase');
    await fireEvent.input(field, { target: { value: 'wrong' } });
    await fireEvent.click(screen.getByTestId('import-open'));
    expect(await screen.findByTestId('import-passphrase-problem')).toHaveTextContent(
      'the passphrase does not open',
    );
    await fireEvent.input(field, { target: { value: 'right' } });
    await fireEvent.click(screen.getByTestId('import-open'));

    expect(await screen.findByTestId('import-summary')).toHaveTextContent(
      '0 new, 1 to update, 1 unchanged, 1 conflict; secrets come along, encrypted.',
    );
    expect(passphrases).toEqual([null, 'wrong', 'right']);
    const rows = screen.getAllByTestId('import-item');
    expect(rows.map((r) => r.dataset.action)).toEqual(['update', 'conflict', 'unchanged']);
    expect(rows[0]).toHaveTextContent('scopes: openid → openid email');
    expect(rows[1]).toHaveTextContent('another directory here is named "Fabrikam"');
    expect(screen.getByTestId('import-warning')).toHaveTextContent('belong to no item');

    const apply = screen.getByTestId('import-apply');
    expect(apply).toBeDisabled();
    expect(apply).toHaveTextContent('1 to choose');
    await fireEvent.change(screen.getByTestId('import-choice'), { target: { value: 'copy' } });
    await waitFor(() => expect(apply).toBeEnabled());
    await fireEvent.click(apply);

    expect(await screen.findByTestId('import-done')).toHaveTextContent(
      'Imported: 0 created, 1 updated, 0 deleted, 2 left as they were; 1 secret written',
    );
    expect(invokeMock).toHaveBeenLastCalledWith('apply_bundle_import', {
      passphrase: 'right',
      choices: { all: null, items: { 'd-2': 'copy' } },
    });
    expect(screen.getByTestId('import-note')).toHaveTextContent('without its link');
    expect(onimported).toHaveBeenCalledOnce();
  });

  it('shows why a file is not a bundle, and changes nothing', async () => {
    invokeMock.mockImplementation((command: string) =>
      command === 'choose_bundle'
        ? Promise.reject({
            kind: 'invalid_bundle',
            message: 'the file is not a JSON bundle (expected value at line 1 column 1)',
            field: null,
            fields: [],
          })
        : Promise.reject(new Error(`unexpected ${command}`)),
    );
    render(ImportDialog, { onclose: vi.fn(), onimported: vi.fn() });
    await fireEvent.click(screen.getByTestId('import-choose-folder'));
    expect(await screen.findByTestId('import-error')).toHaveTextContent('not a JSON bundle');
    expect(screen.queryByTestId('import-plan')).toBeNull();
    expect(invokeMock).toHaveBeenCalledWith('choose_bundle', { asFolder: true });
  });
});
