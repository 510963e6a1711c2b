import { getCurrentWindow } from '@tauri-apps/api/window';

/**
 * Asks `mayClose` whenever the person closes the window; the window stays open when it answers
 * false. Returns the function that stops listening.
 */
export function guardWindowClose(mayClose: () => boolean): Promise<() => void> {
  return getCurrentWindow().onCloseRequested((event) => {
    if (!mayClose()) event.preventDefault();
  });
}

/** Closes the window without asking again. */
export function closeWindow(): Promise<void> {
  return getCurrentWindow().destroy();
}
