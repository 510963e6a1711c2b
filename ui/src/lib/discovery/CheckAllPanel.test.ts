import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { invoke, type Channel } from '@tauri-apps/api/core';
import type { CheckProgress } from '$lib/bindings/CheckProgress';
import type { DirectoryCheck } from '$lib/bindings/DirectoryCheck';
import DirectoryListScreen from '$lib/directories/DirectoryListScreen.svelte';
import { listState } from '$lib/directories/listState.svelte';
import { router } from '$lib/navigation/router.svelte';
import { sampleChecks, sampleSummaries } from '../../test/fixtures';
import { checkAll, checkSummary } from './checkAll.svelte';

vi.mock('@tauri-apps/api/core', async () => ({
  invoke: vi.fn(),
  Channel: (await import('../../test/channel')).FakeChannel,
}));

const invokeMock = vi.mocked(invoke);

/** The core's side of a check under way: its progress channel and how to finish it. */
interface RunningCheck {
  channel: Channel<CheckProgress>;
  finish: (checks: DirectoryCheck[]) => void;
  fail: (error: unknown) => void;
}

function coreWithCheck(): { started: () => RunningCheck } {
  let running: RunningCheck | null = null;
  invokeMock.mockImplementation((command: string, args?: unknown) => {
    if (command === 'list_directories') return Promise.resolve(sampleSummaries(5));
    if (command === 'directory_logo') return Promise.resolve('');
    if (command === 'cancel_check_all') return Promise.resolve(null);
    if (command === 'probe_all_secrets') {
      return Promise.resolve([
        {
          id: 'dir-ok',
          probe: {
            verdict: 'accepted',
            status: 400,
            error: 'invalid_grant',
            error_description: null,
            message: 'the secret works',
            elapsed_ms: 12,
          },
        },
        {
          id: 'dir-err',
          probe: {
            verdict: 'refused',
            status: 401,
            error: 'invalid_client',
            error_description: null,
            message: 'the provider refused the client’s credentials',
            elapsed_ms: 9,
          },
        },
      ]);
    }
    if (command === 'check_all_directories') {
      return new Promise((resolve, reject) => {
        running = {
          channel: (args as { onProgress: Channel<CheckProgress> }).onProgress,
          finish: resolve,
          fail: reject,
        };
      });
    }
    return Promise.reject(new Error(`unexpected command ${command}`));
  });
  return {
    started: () => {
      if (running === null) throw new Error('check_all_directories was not called');
      return running;
    },
  };
}

async function startCheck(): Promise<RunningCheck> {
  const core = coreWithCheck();
  render(DirectoryListScreen);
  await screen.findAllByTestId('dir-row');
  await fireEvent.click(screen.getByTestId('check-all'));
  // The panel's code is fetched when a check starts.
  await screen.findByTestId('check-results');
  return core.started();
}

describe('Check all directories', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    checkAll.dismiss();
    checkAll.probeSecrets = false;
    listState.query = '';
    listState.selectedId = null;
    router.stay();
    router.navigate({ screen: 'directories' });
  });

  it('cancels a check under way in the core and drops its answer', async () => {
    const check = await startCheck();
    await fireEvent.click(screen.getByTestId('cancel-check-all'));
    expect(invokeMock).toHaveBeenCalledWith('cancel_check_all', {});
    expect(screen.queryByTestId('check-results')).toBeNull();
    check.finish(sampleChecks());
    await Promise.resolve();
    expect(screen.queryByTestId('check-results')).toBeNull();
    expect(checkAll.phase).toBe('idle');
  });

  it('asks each provider about its secret when “with secrets” is ticked, and shows the verdicts', async () => {
    const core = coreWithCheck();
    render(DirectoryListScreen);
    await screen.findAllByTestId('dir-row');
    await fireEvent.click(screen.getByTestId('check-all-probe'));
    await fireEvent.click(screen.getByTestId('check-all'));
    core.started().finish(sampleChecks());
    const summary = await screen.findByTestId('check-summary');
    expect(invokeMock).toHaveBeenCalledWith('probe_all_secrets', {});
    expect(summary).toHaveTextContent('; secrets: 1 accepted, 1 refused');
    const verdicts = screen
      .getAllByTestId('check-probe')
      .map((cell) => [
        cell.closest('tr')?.dataset.id,
        cell.dataset.verdict,
        cell.textContent.trim(),
      ]);
    expect(verdicts).toContainEqual(['dir-ok', 'accepted', 'Secret accepted']);
    expect(verdicts).toContainEqual(['dir-err', 'refused', 'Secret refused']);
  });

  it('asks nothing about secrets unless asked', async () => {
    const check = await startCheck();
    check.finish(sampleChecks());
    await screen.findByTestId('check-summary');
    expect(invokeMock).not.toHaveBeenCalledWith('probe_all_secrets', {});
    expect(screen.queryAllByTestId('check-probe')).toEqual([]);
  });

  it('shows the providers done out of all as the core reports them', async () => {
    const check = await startCheck();
    expect(screen.getByTestId('check-progress')).toHaveTextContent('Starting…');
    expect(screen.getByTestId('check-all')).toBeDisabled();

    check.channel.onmessage({ done: 1, total: 4 });
    await vi.waitFor(() => {
      expect(screen.getByTestId('check-progress')).toHaveTextContent('1 of 4 providers checked');
    });
    const bar = screen.getByTestId('check-progress').querySelector('progress');
    expect(bar).toHaveAttribute('max', '4');
    expect(bar).toHaveAttribute('value', '1');

    check.channel.onmessage({ done: 4, total: 4 });
    await vi.waitFor(() => {
      expect(screen.getByTestId('check-progress')).toHaveTextContent('4 of 4 providers checked');
    });
  });

  it('sums up each directory with its status and counts', async () => {
    const check = await startCheck();
    check.finish(sampleChecks());

    const rows = await screen.findAllByTestId('check-row');
    expect(screen.queryByTestId('check-progress')).toBeNull();
    expect(screen.getByTestId('check-summary')).toHaveTextContent(
      '5 directories: 1 OK, 1 with warnings, 1 with errors, 1 failed, 1 skipped',
    );
    const cells = rows.map((row) => ({
      name: within(row).getByTestId('check-name').textContent,
      status: within(row).getByTestId('check-status').textContent.trim(),
      errors: within(row).getByTestId('check-errors').textContent,
      warnings: within(row).getByTestId('check-warnings').textContent,
    }));
    expect(cells).toEqual([
      { name: 'Alpha', status: 'OK', errors: '0', warnings: '0' },
      { name: 'Bravo', status: 'Warnings', errors: '0', warnings: '1' },
      { name: 'Charlie', status: 'Errors', errors: '1', warnings: '0' },
      { name: 'Delta', status: 'Failed', errors: '0', warnings: '0' },
      { name: 'Echo', status: 'Skipped', errors: '0', warnings: '0' },
    ]);
    expect(rows.map((r) => r.dataset.status)).toEqual([
      'ok',
      'warnings',
      'errors',
      'failed',
      'skipped',
    ]);
    expect(screen.getByTestId('check-all')).toBeEnabled();
  });

  it('opens a directory’s findings, or why it failed, on demand', async () => {
    const check = await startCheck();
    check.finish(sampleChecks());
    const rows = await screen.findAllByTestId('check-row');
    expect(screen.queryByTestId('check-details')).toBeNull();

    const charlie = within(rows[2] as HTMLElement).getByTestId('check-expand');
    expect(charlie).toHaveAttribute('aria-expanded', 'false');
    await fireEvent.click(charlie);
    expect(charlie).toHaveAttribute('aria-expanded', 'true');
    const details = screen.getByTestId('check-details');
    expect(within(details).getByTestId('finding')).toHaveAttribute('data-severity', 'error');
    expect(within(details).getByTestId('finding-message')).toHaveTextContent(
      'authenticates with client_secret_post',
    );

    await fireEvent.click(within(rows[3] as HTMLElement).getByTestId('check-expand'));
    expect(screen.getAllByTestId('check-details')).toHaveLength(2);
    expect(screen.getByTestId('check-problem')).toHaveTextContent('connection refused');

    await fireEvent.click(charlie);
    expect(screen.getAllByTestId('check-details')).toHaveLength(1);
  });

  it('opens the directory in the editor from its findings', async () => {
    const check = await startCheck();
    check.finish(sampleChecks());
    const rows = await screen.findAllByTestId('check-row');
    await fireEvent.click(within(rows[0] as HTMLElement).getByTestId('check-expand'));
    expect(screen.getByTestId('findings-empty')).toHaveTextContent('No findings.');
    await fireEvent.click(screen.getByTestId('check-open'));
    expect(router.route).toEqual({ screen: 'editor', id: 'dir-ok' });
  });

  it('says why the check could not run', async () => {
    const check = await startCheck();
    check.fail({ kind: 'storage', message: 'database is locked', field: null, fields: [] });
    expect(await screen.findByTestId('check-error')).toHaveTextContent('database is locked');
    await fireEvent.click(screen.getByTestId('dismiss-check-error'));
    expect(screen.queryByTestId('check-error')).toBeNull();
  });

  it('drops the answer of a check that was closed', async () => {
    const check = await startCheck();
    await fireEvent.click(screen.getByTestId('dismiss-check-results'));
    check.finish(sampleChecks());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.queryByTestId('check-results')).toBeNull();
  });
});

describe('checkSummary', () => {
  it('leaves out the statuses no directory has', () => {
    const [ok] = sampleChecks();
    expect(checkSummary(ok === undefined ? [] : [ok])).toBe('1 directory: 1 OK');
    expect(checkSummary([])).toBe('0 directories');
  });
});
