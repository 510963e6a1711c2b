// Tauri's window module (about 15 kB built) is needed by nothing on the first frame: it is fetched
// when first used.
const currentWindow = async () => (await import('@tauri-apps/api/window')).getCurrentWindow();

/**
 * Asks `mayClose` whenever the person closes the window; the window stays open when it answers
 * false. Returns the function that stops listening.
 */
export async function guardWindowClose(mayClose: () => boolean): Promise<() => void> {
  return (await currentWindow()).onCloseRequested((event) => {
    if (!mayClose()) event.preventDefault();
  });
}

/** Closes the window without asking again. */
export async function closeWindow(): Promise<void> {
  return (await currentWindow()).destroy();
}
