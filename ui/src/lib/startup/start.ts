import { bootDataPending } from '$lib/api/boot';
import { keepListSnapshot } from '$lib/api/commands';
import { afterFrameShown } from '$lib/components/frames';

/** How long the page waits for the shell's list to be shown before it starts anyway. */
export const SHELL_FRAME_WAIT_MS = 500;

/**
 * Starts the page in `target` with `mountApp`.
 *
 * At start-up the shell may have put into `target` the list's first frame as this page drew it
 * at an earlier start from the same data (src-tauri/src/snapshot.rs), so that the engine paints
 * the list without waiting for these scripts; it marks `target` busy, as that list does nothing
 * yet. The page then starts once that frame is shown (or after `SHELL_FRAME_WAIT_MS` when no
 * frame comes), draws the same list in its place and clears the mark.
 *
 * When the list is drawn from the data the shell handed over, its first frame is sent back to
 * the shell to keep for the next start.
 */
export function startApp(target: HTMLElement, mountApp: (target: HTMLElement) => void): void {
  const start = (): void => {
    const fromShellData = bootDataPending();
    target.replaceChildren();
    mountApp(target);
    target.removeAttribute('aria-busy');
    if (fromShellData) {
      requestAnimationFrame(() => {
        keepFirstFrame(target);
      });
    }
  };
  if (target.firstChild === null) {
    start();
    return;
  }
  let started = false;
  const once = (): void => {
    if (started) return;
    started = true;
    cancelFrame();
    clearTimeout(fallback);
    start();
  };
  const cancelFrame = afterFrameShown(once);
  const fallback = setTimeout(once, SHELL_FRAME_WAIT_MS);
}

/** Sends the shell the markup of the frame about to be painted; a failure only costs the next start that frame. */
function keepFirstFrame(target: HTMLElement): void {
  keepListSnapshot(document.documentElement.className, target.innerHTML).catch(() => undefined);
}
