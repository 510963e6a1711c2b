import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { invoke } from '@tauri-apps/api/core';
import { router } from '$lib/navigation/router.svelte';
import App from './App.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
const windowMock = vi.hoisted(() => ({
  guardWindowClose: vi.fn(),
  unlisten: vi.fn(),
  closeWindow: vi.fn(),
}));
vi.mock('$lib/api/window', () => windowMock);

describe('App', () => {
  beforeEach(() => {
    vi.mocked(invoke).mockReset().mockResolvedValue([]);
    windowMock.unlisten.mockReset();
    windowMock.guardWindowClose.mockReset().mockResolvedValue(windowMock.unlisten);
    window.__SSO_CONSOLE_BOOT__ = Object.freeze({ directories: [], attention: [] });
  });

  afterEach(() => {
    delete window.__SSO_CONSOLE_BOOT__;
  });

  it('guards closing the window only while a screen can hold unsaved work', async () => {
    render(App);
    expect(await screen.findByTestId('dir-count')).toBeInTheDocument();
    // At start-up, the list: no guard, and Tauri's window module is not needed.
    expect(windowMock.guardWindowClose).not.toHaveBeenCalled();

    const release = router.guardLeaving(() => false);
    flushSync();
    expect(windowMock.guardWindowClose).toHaveBeenCalledTimes(1);
    // The guard answers with the router's check.
    const [[mayClose]] = windowMock.guardWindowClose.mock.calls as [[() => boolean]];
    expect(mayClose()).toBe(true);

    release();
    flushSync();
    await vi.waitFor(() => {
      expect(windowMock.unlisten).toHaveBeenCalledTimes(1);
    });
  });
});
