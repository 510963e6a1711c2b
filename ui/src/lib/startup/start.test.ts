import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { sampleSummaries } from '../../test/fixtures';
import { SHELL_FRAME_WAIT_MS, startApp } from './start';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

/** What the shell drew from the last start: a list that does nothing. */
const SHELL_FRAME = '<div class="app"><p>Bench directory 001</p></div>';

describe('startApp', () => {
  let target: HTMLElement;
  let mounted: string[];
  const mountApp = (element: HTMLElement): void => {
    // What the page held when the app was mounted in it.
    mounted.push(element.innerHTML);
    element.innerHTML = '<div class="app"><p>live</p></div>';
  };

  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'],
    });
    invokeMock.mockReset();
    invokeMock.mockResolvedValue(null);
    target = document.createElement('div');
    document.body.append(target);
    mounted = [];
    document.documentElement.className = 'generic-font';
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
    target.remove();
    delete window.__SSO_CONSOLE_BOOT__;
    document.documentElement.className = '';
  });

  it('starts at once in an empty page, and keeps the first frame drawn from the shell’s data', () => {
    window.__SSO_CONSOLE_BOOT__ = Object.freeze({ directories: sampleSummaries(2) });
    startApp(target, mountApp);
    expect(mounted).toEqual(['']);
    expect(invokeMock).not.toHaveBeenCalled();

    vi.advanceTimersToNextFrame();
    expect(invokeMock).toHaveBeenCalledTimes(1);
    expect(invokeMock).toHaveBeenCalledWith('keep_list_snapshot', {
      rootClass: 'generic-font',
      html: '<div class="app"><p>live</p></div>',
    });
  });

  it('keeps nothing when the list was not drawn from the shell’s data', () => {
    startApp(target, mountApp);
    vi.advanceTimersToNextFrame();
    vi.runAllTimers();
    expect(mounted).toEqual(['']);
    expect(invokeMock).not.toHaveBeenCalled();
  });

  it('lets the shell’s list be shown, then draws its own in its place', () => {
    window.__SSO_CONSOLE_BOOT__ = Object.freeze({ directories: sampleSummaries(2) });
    target.innerHTML = SHELL_FRAME;
    target.setAttribute('aria-busy', 'true');
    startApp(target, mountApp);
    vi.advanceTimersToNextFrame();
    expect(mounted, 'not during the first frame').toEqual([]);
    expect(target.getAttribute('aria-busy')).toBe('true');
    vi.advanceTimersToNextFrame();
    expect(mounted, 'nor during the second').toEqual([]);
    vi.advanceTimersByTime(1);
    expect(mounted, 'mounted in an emptied page').toEqual(['']);
    expect(target.innerHTML).toBe('<div class="app"><p>live</p></div>');
    expect(target.hasAttribute('aria-busy'), 'the live list is not busy').toBe(false);

    vi.advanceTimersToNextFrame();
    expect(invokeMock).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(SHELL_FRAME_WAIT_MS);
    expect(mounted, 'once').toHaveLength(1);
  });

  it('starts anyway when no frame comes', () => {
    // A window the engine does not draw gets no animation frame.
    vi.stubGlobal(
      'requestAnimationFrame',
      vi.fn(() => 1),
    );
    vi.stubGlobal('cancelAnimationFrame', vi.fn());
    target.innerHTML = SHELL_FRAME;
    startApp(target, mountApp);
    vi.advanceTimersByTime(SHELL_FRAME_WAIT_MS - 1);
    expect(mounted).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(mounted).toEqual(['']);
    vi.runAllTimers();
    expect(mounted, 'once').toHaveLength(1);
  });

  it('a refused frame costs nothing but the next start’s head start', async () => {
    window.__SSO_CONSOLE_BOOT__ = Object.freeze({ directories: sampleSummaries(1) });
    invokeMock.mockRejectedValue({ kind: 'internal', message: 'no' });
    startApp(target, mountApp);
    vi.advanceTimersToNextFrame();
    await vi.waitFor(() => {
      expect(invokeMock).toHaveBeenCalledTimes(1);
    });
    expect(target.innerHTML).toBe('<div class="app"><p>live</p></div>');
  });
});
