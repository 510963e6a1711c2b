import { beforeEach, describe, expect, it, vi } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { applyBundleImport, chooseBundle, exportBundle, planBundleImport } from './bundle';
import { ApiError } from './errors';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

describe('the bundle commands', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    invokeMock.mockResolvedValue(null);
  });

  it('send their arguments as the shell reads them', async () => {
    await exportBundle({ directories: ['d-1'], as_folder: false, passphrase: 'p' });
    expect(invokeMock).toHaveBeenLastCalledWith('export_bundle', {
      request: { directories: ['d-1'], as_folder: false, passphrase: 'p' },
    });
    await chooseBundle(true);
    expect(invokeMock).toHaveBeenLastCalledWith('choose_bundle', { asFolder: true });
    await planBundleImport(null);
    expect(invokeMock).toHaveBeenLastCalledWith('plan_bundle_import', { passphrase: null });
    await applyBundleImport('p', { all: 'skip', items: {} });
    expect(invokeMock).toHaveBeenLastCalledWith('apply_bundle_import', {
      passphrase: 'p',
      choices: { all: 'skip', items: {} },
    });
  });

  it('turn a wrong passphrase into an ApiError of its kind', async () => {
    invokeMock.mockRejectedValue({
      kind: 'wrong_passphrase',
      message: 'the passphrase does not open the bundle’s secrets',
      field: null,
      fields: [],
    });
    await expect(planBundleImport('no')).rejects.toSatisfy(
      (e: unknown) => e instanceof ApiError && e.kind === 'wrong_passphrase',
    );
  });
});
