import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import DirectoryEditor from '$lib/directories/DirectoryEditor.svelte';
import DirectoryListScreen from '$lib/directories/DirectoryListScreen.svelte';
import { listState } from '$lib/directories/listState.svelte';
import { router } from '$lib/navigation/router.svelte';
import { sampleDetail, sampleSummaries } from '../../test/fixtures';
import { sampleSignInResult } from '../../test/signinFixtures';
import { signInTests } from './signInTests.svelte';

vi.mock('@tauri-apps/api/core', async () => ({
  invoke: vi.fn(),
  Channel: (await import('../../test/channel')).FakeChannel,
}));

const invokeMock = vi.mocked(invoke);
const ID = '531b5f5e-2a2a-4b73-b109-3f17f7f34e36';

describe('starting a test sign-in, and its claims in the editor', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    signInTests.clear();
    router.stay();
    router.navigate({ screen: 'directories' });
    listState.query = '';
    listState.selectedId = null;
    invokeMock.mockImplementation((command: string) => {
      switch (command) {
        case 'list_directories':
          return Promise.resolve(sampleSummaries(3));
        case 'directory_logo':
          return Promise.resolve('');
        case 'get_directory':
          return Promise.resolve(sampleDetail());
        case 'start_test_sign_in':
          return Promise.resolve(sampleSignInResult());
        default:
          return Promise.reject(new Error(`unexpected command ${command}`));
      }
    });
  });

  it('Test directory in the list tests the selected directory and opens its result', async () => {
    render(DirectoryListScreen);
    await screen.findAllByTestId('dir-row');
    await fireEvent.click(screen.getByTestId('test-dir'));

    expect(invokeMock).toHaveBeenCalledWith('start_test_sign_in', {
      id: 'dir-00000',
      onEvent: expect.anything() as unknown,
    });
    expect(router.route).toEqual({ screen: 'sign-in', id: 'dir-00000' });
    await vi.waitFor(() => {
      expect(signInTests.run('dir-00000')?.phase).toBe('done');
    });
  });

  it('the editor tests a saved directory, but only without unsaved changes', async () => {
    render(DirectoryEditor, { id: ID });
    const name = await screen.findByTestId('field-name');
    const test = screen.getByTestId('test-dir');
    expect(test).toBeEnabled();

    await fireEvent.input(name, { target: { value: 'Renamed' } });
    expect(test).toBeDisabled();
    expect(test).toHaveAttribute('title', 'Save first: the test sign-in uses the saved settings');
    await fireEvent.input(name, { target: { value: sampleDetail().document.name } });
    expect(test).toBeEnabled();

    await fireEvent.click(test);
    expect(router.route).toEqual({ screen: 'sign-in', id: ID });
  });

  it('the editor suggests the claim names of the last test for each mapping’s source', async () => {
    await signInTests.start(ID, 'Contoso staff (Entra)');
    render(DirectoryEditor, { id: ID });
    const claim = await screen.findByTestId('field-claims.last_name.claim');
    expect(screen.getByTestId('last-signin')).toBeInTheDocument();
    expect(screen.getByTestId('claim-suggestions-hint')).toBeInTheDocument();

    const list = screen.getByTestId('claim-names-last_name');
    expect(claim).toHaveAttribute('list', list.id);
    const names = () => [...list.querySelectorAll('option')].map((o) => o.value);
    expect(names()).toContain('family_name');
    expect(names()).toContain('nonce');

    // Userinfo brought fewer claims: the list follows the source chosen.
    await fireEvent.change(screen.getByTestId('field-claims.last_name.source'), {
      target: { value: 'userinfo' },
    });
    expect(
      [...screen.getByTestId('claim-names-last_name').querySelectorAll('option')].map(
        (o) => o.value,
      ),
    ).toEqual(['email', 'name', 'sub']);
  });

  it('the editor offers no suggestions before a test', async () => {
    render(DirectoryEditor, { id: ID });
    const claim = await screen.findByTestId('field-claims.email.claim');
    expect(claim).not.toHaveAttribute('list');
    expect(screen.queryByTestId('last-signin')).toBeNull();
  });
});
