import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import ProviderHistory from './ProviderHistory.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

describe('ProviderHistory', () => {
  beforeEach(() => {
    invokeMock.mockReset();
  });

  it('lists what changed at the provider, newest first, with each severity', async () => {
    invokeMock.mockResolvedValue([
      {
        at: '2026-12-02T10:00:00Z',
        severity: 'error',
        code: 'drift_issuer_changed',
        message: 'the provider’s issuer changed',
      },
      {
        at: '2026-12-01T10:00:00Z',
        severity: 'info',
        code: 'drift_key_added',
        message: 'the provider published a new key "k2"',
      },
    ]);
    render(ProviderHistory, { directoryId: 'dir-1' });
    const items = await screen.findAllByTestId('provider-change');
    expect(invokeMock).toHaveBeenCalledWith('provider_history', { id: 'dir-1' });
    expect(items.map((i) => i.dataset.code)).toEqual(['drift_issuer_changed', 'drift_key_added']);
    expect(items[0]).toHaveTextContent('Error:');
    expect(items[1]).toHaveTextContent('the provider published a new key "k2"');
  });

  it('says when nothing changed yet, and when the history cannot be had', async () => {
    invokeMock.mockResolvedValueOnce([]);
    const first = render(ProviderHistory, { directoryId: 'dir-1' });
    expect(await screen.findByTestId('provider-history-empty')).toHaveTextContent(
      'No change seen yet',
    );
    first.unmount();
    invokeMock.mockRejectedValueOnce({
      kind: 'not_found',
      message: 'no directory "dir-2"',
      field: null,
      fields: [],
    });
    render(ProviderHistory, { directoryId: 'dir-2' });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The history could not be loaded: no directory "dir-2"',
    );
  });
});
