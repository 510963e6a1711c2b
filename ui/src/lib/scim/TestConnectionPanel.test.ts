import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import TestConnectionPanel from './TestConnectionPanel.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

describe('Test Connection', () => {
  beforeEach(() => {
    invokeMock.mockReset();
  });

  it('can be cancelled while it runs, and says nothing was changed', async () => {
    let reject: (error: unknown) => void = () => {};
    invokeMock.mockImplementation((command: string) => {
      if (command === 'test_scim_connection') {
        return new Promise((_, no) => (reject = no));
      }
      if (command === 'cancel_scim_check') {
        reject({
          kind: 'cancelled',
          message: 'Test Connection was cancelled',
          field: null,
          fields: [],
        });
        return Promise.resolve(null);
      }
      return Promise.reject(new Error(`unexpected ${command}`));
    });
    render(TestConnectionPanel, {
      connectionId: 'c-1',
      unsaved: false,
      onusesuggested: () => {},
    });
    await fireEvent.click(screen.getByTestId('run-scim-test'));
    const cancel = await screen.findByTestId('scim-test-progress-cancel');
    await fireEvent.click(cancel);
    expect(invokeMock).toHaveBeenCalledWith('cancel_scim_check', {});
    expect(await screen.findByTestId('scim-test-cancelled')).toHaveTextContent(
      'Cancelled. Nothing was changed on the server.',
    );
    expect(screen.queryByTestId('scim-test-error')).toBeNull();
    expect(screen.queryByTestId('scim-test-progress')).toBeNull();
  });
});
