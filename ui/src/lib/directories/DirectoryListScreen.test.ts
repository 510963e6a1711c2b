import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import { router } from '$lib/navigation/router.svelte';
import { sampleSummaries } from '../../test/fixtures';
import DirectoryListScreen from './DirectoryListScreen.svelte';
import { listState } from './listState.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

function listCalls(): string[] {
  return invokeMock.mock.calls
    .filter(([command]) => command === 'list_directories')
    .map(([, args]) => (args as { query: string }).query);
}

describe('DirectoryListScreen', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    listState.query = '';
    listState.selectedId = null;
    listState.attentionOnly = false;
    router.stay();
    router.navigate({ screen: 'directories' });
    const all = sampleSummaries(10_000);
    invokeMock.mockImplementation((command: string, args?: unknown) => {
      if (command === 'list_directories') {
        const { query } = args as { query: string };
        return Promise.resolve(all.filter((d) => d.name.includes(query)));
      }
      if (command === 'directory_logo' || command === 'delete_directory') {
        return Promise.resolve(command === 'directory_logo' ? '' : null);
      }
      return Promise.reject(new Error(`unexpected command ${command}`));
    });
  });

  afterEach(() => {
    delete window.__SSO_CONSOLE_BOOT__;
  });

  it('draws the first list from the directories handed over with the page', async () => {
    // As the shell's start-up script sets it.
    window.__SSO_CONSOLE_BOOT__ = Object.freeze({ directories: sampleSummaries(3) });
    render(DirectoryListScreen);
    expect(await screen.findByTestId('dir-count')).toHaveTextContent('3 directories');
    const rows = screen.getAllByTestId('dir-row');
    expect(rows.map((row) => row.dataset.id)).toEqual(['dir-00000', 'dir-00001', 'dir-00002']);
    expect(rows[0]).toHaveAttribute('data-selected', 'true');
    expect(listCalls()).toEqual([]);
  });

  it('asks the core when the page came without directories', async () => {
    render(DirectoryListScreen);
    expect(await screen.findByTestId('dir-count')).toHaveTextContent('10000 directories');
    expect(listCalls()).toEqual(['']);
  });

  it('asks the core when what came with the page is not a list', async () => {
    Object.assign(window, { __SSO_CONSOLE_BOOT__: { directories: 'none' } });
    render(DirectoryListScreen);
    expect(await screen.findByTestId('dir-count')).toHaveTextContent('10000 directories');
    expect(listCalls()).toEqual(['']);
  });

  it('asks the core on the next visit, once the handed-over list was used', async () => {
    window.__SSO_CONSOLE_BOOT__ = { directories: sampleSummaries(3) };
    const first = render(DirectoryListScreen);
    expect(await screen.findByTestId('dir-count')).toHaveTextContent('3 directories');
    first.unmount();

    render(DirectoryListScreen);
    await vi.waitFor(() => {
      expect(screen.getByTestId('dir-count')).toHaveTextContent('10000 directories');
    });
    expect(listCalls()).toEqual(['']);
  });

  it('searches through the core after the handed-over list', async () => {
    window.__SSO_CONSOLE_BOOT__ = { directories: sampleSummaries(3) };
    render(DirectoryListScreen);
    await screen.findAllByTestId('dir-row');
    await fireEvent.input(screen.getByTestId('dir-search'), {
      target: { value: 'Directory 9999' },
    });
    await vi.waitFor(() => {
      expect(screen.getByTestId('dir-count')).toHaveTextContent('1 directory');
    });
    expect(listCalls()).toEqual(['Directory 9999']);
  });

  it('shows 10,000 directories with only a screenful of rows and their badges', async () => {
    render(DirectoryListScreen);
    expect(await screen.findByTestId('dir-count')).toHaveTextContent('10000 directories');
    const rows = screen.getAllByTestId('dir-row');
    expect(rows.length).toBeLessThan(40);
    expect(within(rows[0] as HTMLElement).getByTestId('badge-hidden')).toBeInTheDocument();
    expect(within(rows[0] as HTMLElement).getByTestId('badge-secret-missing')).toBeInTheDocument();
    expect(within(rows[1] as HTMLElement).queryByTestId('badge-secret-missing')).toBeNull();
  });

  it('searches through the core after typing stops', async () => {
    render(DirectoryListScreen);
    await screen.findAllByTestId('dir-row');
    const search = screen.getByTestId('dir-search');
    await fireEvent.input(search, { target: { value: 'Directory 999' } });
    await fireEvent.input(search, { target: { value: 'Directory 9999' } });
    await vi.waitFor(() => {
      expect(screen.getByTestId('dir-count')).toHaveTextContent('1 directory');
    });
    // The first keystroke's search was skipped by the debounce.
    expect(listCalls()).toEqual(['', 'Directory 9999']);
  });

  it('clears the search with its own button or Esc, and lists everything again', async () => {
    render(DirectoryListScreen);
    await screen.findAllByTestId('dir-row');
    const search = screen.getByTestId('dir-search');
    expect(screen.queryByTestId('dir-search-clear')).toBeNull();
    await fireEvent.input(search, { target: { value: 'Directory 9999' } });
    await vi.waitFor(() => {
      expect(screen.getByTestId('dir-count')).toHaveTextContent('1 directory');
    });

    await fireEvent.click(screen.getByTestId('dir-search-clear'));
    expect(search).toHaveValue('');
    expect(search).toHaveFocus();
    expect(screen.queryByTestId('dir-search-clear')).toBeNull();
    await vi.waitFor(() => {
      expect(screen.getByTestId('dir-count')).toHaveTextContent('10000 directories');
    });

    await fireEvent.input(search, { target: { value: 'Directory 42' } });
    await fireEvent.keyDown(search, { key: 'Escape' });
    expect(search).toHaveValue('');
    await vi.waitFor(() => {
      expect(screen.getByTestId('dir-count')).toHaveTextContent('10000 directories');
    });
    // The debounced search for "Directory 42" never went out.
    expect(listCalls()).toEqual(['', 'Directory 9999', '', '']);
  });

  it('asks before deleting, naming the directory, then deletes it', async () => {
    render(DirectoryListScreen);
    await screen.findAllByTestId('dir-row');
    const list = screen.getByRole('listbox');
    await fireEvent.keyDown(list, { key: 'ArrowDown' });
    await fireEvent.keyDown(window, { key: 'Delete' });

    expect(screen.getByTestId('delete-dir-name')).toHaveTextContent('Directory 1');
    expect(invokeMock).not.toHaveBeenCalledWith('delete_directory', expect.anything());
    await fireEvent.click(screen.getByTestId('confirm-delete'));

    expect(invokeMock).toHaveBeenCalledWith('delete_directory', { id: 'dir-00001' });
    await vi.waitFor(() => {
      expect(screen.getByTestId('dir-count')).toHaveTextContent('9999 directories');
    });
  });

  it('opens the selected directory with Enter, and "New directory" with Ctrl+N', async () => {
    render(DirectoryListScreen);
    await screen.findAllByTestId('dir-row');
    await fireEvent.keyDown(screen.getByRole('listbox'), { key: 'Enter' });
    expect(router.route).toEqual({ screen: 'editor', id: 'dir-00000' });

    router.navigate({ screen: 'directories' });
    await fireEvent.keyDown(window, { key: 'n', ctrlKey: true });
    expect(router.route).toEqual({ screen: 'new-directory' });
  });

  it('shows each row’s health and keeps only those needing attention when asked', async () => {
    window.__SSO_CONSOLE_BOOT__ = Object.freeze({ directories: sampleSummaries(6) });
    render(DirectoryListScreen);
    const [first, second] = await screen.findAllByTestId('dir-row');
    if (first === undefined || second === undefined) throw new Error('two rows expected');
    expect(within(first).getByTestId('dir-health-check')).toHaveTextContent('Never checked');
    expect(within(first).getByTestId('dir-health-sign-in')).toHaveTextContent('Never tested');
    expect(within(first).queryByTestId('badge-attention')).toBeNull();
    expect(within(second).getByTestId('dir-health-check')).toHaveTextContent(/^Check failed · /);
    expect(within(second).getByTestId('badge-attention')).toHaveAttribute(
      'title',
      'discovery failed: the provider did not answer',
    );

    const filter = screen.getByTestId('filter-attention');
    expect(filter.parentElement).toHaveTextContent('Needs attention (2)');
    await fireEvent.click(filter);
    await vi.waitFor(() => {
      expect(screen.getAllByTestId('dir-row').map((r) => r.dataset.id)).toEqual([
        'dir-00001',
        'dir-00004',
      ]);
    });
    expect(screen.getByTestId('dir-count')).toHaveTextContent('2 directories need attention');
    // The selection moves to a row that is shown.
    expect(listState.selectedId).toBe('dir-00001');
    await fireEvent.click(filter);
    await vi.waitFor(() => {
      expect(screen.getAllByTestId('dir-row')).toHaveLength(6);
    });
  });
});
