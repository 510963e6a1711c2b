import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import ExportDialog from './ExportDialog.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

describe('the export dialog', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    invokeMock.mockResolvedValue({
      path: '/bundles/contoso.json',
      directories: 1,
      scim_connections: 0,
      secrets: true,
    });
  });

  it('asks for the passphrase twice before it exports the selected directory with its secrets', async () => {
    render(ExportDialog, {
      total: 3,
      selected: { id: 'd-1', name: 'Contoso' },
      onclose: vi.fn(),
    });
    await fireEvent.click(screen.getByTestId('export-only-selected'));
    await fireEvent.click(screen.getByTestId('export-secrets'));
    const run = screen.getByTestId('export-run');
    expect(run).toBeDisabled();
    expect(screen.getByTestId('export-blocker')).toHaveTextContent('Enter a passphrase');
    await fireEvent.input(screen.getByTestId('export-passphrase'), {
      target: { value: 'correct horse' },
    });
    await fireEvent.input(screen.getByTestId('export-passphrase-again'), {
      target: { value: 'correct hose' },
    });
    expect(screen.getByTestId('export-blocker')).toHaveTextContent('differ');
    await fireEvent.input(screen.getByTestId('export-passphrase-again'), {
      target: { value: 'correct horse' },
    });
    expect(run).toBeEnabled();
    await fireEvent.click(run);

    expect(await screen.findByTestId('export-done')).toHaveTextContent(
      'Exported 1 directory and 0 SCIM connections with their secrets, encrypted, to',
    );
    expect(invokeMock).toHaveBeenCalledWith('export_bundle', {
      request: { directories: ['d-1'], as_folder: false, passphrase: 'correct horse' },
    });
  });

  it('never sends secrets into a folder', async () => {
    render(ExportDialog, { total: 2, selected: undefined, onclose: vi.fn() });
    await fireEvent.click(screen.getByTestId('export-secrets'));
    await fireEvent.click(screen.getByTestId('export-folder'));
    expect(screen.getByTestId('export-folder-no-secrets')).toBeInTheDocument();
    expect(screen.getByTestId('export-run')).toBeDisabled();
    await fireEvent.click(screen.getByTestId('export-secrets'));
    await fireEvent.click(screen.getByTestId('export-run'));
    expect(invokeMock).toHaveBeenCalledWith('export_bundle', {
      request: { directories: [], as_folder: true, passphrase: null },
    });
  });
});
