import { beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (event: { preventDefault: () => void }) => void;
const windowMock = vi.hoisted(() => ({
  handler: null as Handler | null,
  onCloseRequested: vi.fn(),
  destroy: vi.fn(),
}));
vi.mock('@tauri-apps/api/window', () => ({ getCurrentWindow: () => windowMock }));

import { closeWindow, guardWindowClose } from './window';

describe('window close guard', () => {
  beforeEach(() => {
    windowMock.onCloseRequested.mockReset().mockImplementation((handler: Handler) => {
      windowMock.handler = handler;
      return Promise.resolve(() => undefined);
    });
    windowMock.destroy.mockReset().mockResolvedValue(undefined);
  });

  it('keeps the window open only when the check says so', async () => {
    let unsaved = true;
    await guardWindowClose(() => !unsaved);
    const preventDefault = vi.fn();
    windowMock.handler?.({ preventDefault });
    expect(preventDefault).toHaveBeenCalledTimes(1);

    unsaved = false;
    windowMock.handler?.({ preventDefault });
    expect(preventDefault).toHaveBeenCalledTimes(1);
  });

  it('closes for good once the person has discarded their changes', async () => {
    await closeWindow();
    expect(windowMock.destroy).toHaveBeenCalledTimes(1);
  });
});
