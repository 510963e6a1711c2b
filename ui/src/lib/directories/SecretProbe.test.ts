import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import type { SecretProbe as Probe } from '$lib/bindings/SecretProbe';
import SecretProbe from './SecretProbe.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

function probe(overrides: Partial<Probe>): Probe {
  return {
    verdict: 'accepted',
    status: 400,
    error: 'invalid_grant',
    error_description: null,
    message: 'the provider authenticated the client and refused only the made-up code',
    elapsed_ms: 42,
    ...overrides,
  };
}

describe('checking the secret with the provider', () => {
  beforeEach(() => {
    invokeMock.mockReset();
  });

  it('asks for the saved directory and shows the verdict with the provider’s words', async () => {
    invokeMock.mockResolvedValue(
      probe({
        verdict: 'refused',
        status: 401,
        error: 'invalid_client',
        error_description: 'client authentication failed',
        message: 'the provider refused the client’s credentials',
      }),
    );
    render(SecretProbe, { directoryId: 'dir-1' });
    await fireEvent.click(screen.getByTestId('probe-secret'));
    const result = await screen.findByTestId('probe-secret-result');
    expect(invokeMock).toHaveBeenCalledWith('probe_client_secret', { id: 'dir-1' });
    expect(result).toHaveAttribute('data-verdict', 'refused');
    expect(result).toHaveTextContent('Secret refused');
    expect(result).toHaveTextContent('The provider said: “client authentication failed”');
  });

  it('says “not confirmed” for an answer that proves nothing, and why a check could not run', async () => {
    invokeMock.mockResolvedValueOnce(probe({ verdict: 'unknown', message: 'it answered 500' }));
    render(SecretProbe, { directoryId: 'dir-1' });
    await fireEvent.click(screen.getByTestId('probe-secret'));
    expect(await screen.findByTestId('probe-secret-result')).toHaveTextContent(
      'Not confirmed it answered 500',
    );
    invokeMock.mockRejectedValueOnce({
      kind: 'not_found',
      message: 'no directory has this id',
      field: null,
      fields: [],
    });
    await fireEvent.click(screen.getByTestId('probe-secret'));
    expect(await screen.findByTestId('probe-secret-error')).toHaveTextContent(
      'The secret could not be checked: no directory has this id',
    );
  });
});
