import { afterEach, describe, expect, it } from 'vitest';
import { sampleSummaries } from '../../test/fixtures';
import { takeBootAttention, takeBootDirectories } from './boot';

/** Plays the shell: sets the global as its start-up script would, whatever shape it has. */
function inject(value: unknown): void {
  Object.assign(window, { __SSO_CONSOLE_BOOT__: value });
}

describe('takeBootDirectories', () => {
  afterEach(() => {
    delete window.__SSO_CONSOLE_BOOT__;
  });

  it('hands over the directories once, then forgets them', () => {
    const directories = sampleSummaries(3);
    // As the shell's start-up script sets it.
    inject(Object.freeze({ directories }));
    expect(takeBootDirectories()).toEqual(directories);
    expect(window.__SSO_CONSOLE_BOOT__).toBeUndefined();
    expect(takeBootDirectories()).toBeNull();
  });

  it('hands over the banner’s directories apart from the list, each once', () => {
    const directories = sampleSummaries(3);
    const attention = [directories[1]];
    inject(Object.freeze({ directories, attention }));
    expect(takeBootAttention()).toEqual(attention);
    expect(takeBootAttention()).toBeNull();
    expect(takeBootDirectories()).toEqual(directories);
    expect(window.__SSO_CONSOLE_BOOT__).toBeUndefined();
    expect(takeBootDirectories()).toBeNull();
  });

  it('hands over an empty list as it is', () => {
    inject({ directories: [] });
    expect(takeBootDirectories()).toEqual([]);
  });

  it('answers null when the shell sent nothing', () => {
    expect(takeBootDirectories()).toBeNull();
  });

  it.each([
    ['null', null],
    ['a string', 'directories'],
    ['an object without directories', { directory: [] }],
    ['directories that are not a list', { directories: { id: 'dir-00000' } }],
  ])('answers null for %s and forgets it', (_what, value) => {
    inject(value);
    expect(takeBootDirectories()).toBeNull();
    expect(window.__SSO_CONSOLE_BOOT__).toBeUndefined();
  });

  it('answers null for a banner list that is not a list', () => {
    inject({ attention: 'expired' });
    expect(takeBootAttention()).toBeNull();
    expect(window.__SSO_CONSOLE_BOOT__).toBeUndefined();
  });
});
