/**
 * Stands in for `Channel` of `@tauri-apps/api/core` in tests, where no Tauri runtime gives it a
 * callback id: a test plays the core by calling `onmessage` on the channel the command received.
 */
export class FakeChannel<T = unknown> {
  id = 0;
  onmessage: (message: T) => void = () => {};

  constructor(onmessage?: (message: T) => void) {
    if (onmessage !== undefined) this.onmessage = onmessage;
  }

  toJSON(): string {
    return `__CHANNEL__:${this.id}`;
  }
}
