import { afterEach, describe, expect, it } from 'vitest';
import { router } from './router.svelte';

describe('router leave guard', () => {
  let release: (() => void) | null = null;

  afterEach(() => {
    release?.();
    router.stay();
    router.navigate({ screen: 'directories' });
  });

  it('navigates at once when nothing is unsaved', () => {
    release = router.guardLeaving(() => false);
    router.navigate({ screen: 'settings' });
    expect(router.route).toEqual({ screen: 'settings' });
    expect(router.pending).toBeNull();
  });

  it('holds a navigation away from unsaved work until it is discarded', () => {
    release = router.guardLeaving(() => true);
    const before = router.visit;
    router.navigate({ screen: 'settings' });
    expect(router.route).toEqual({ screen: 'directories' });
    expect(router.pending).toEqual({ screen: 'settings' });
    expect(router.visit).toBe(before);

    router.discardAndLeave();
    expect(router.route).toEqual({ screen: 'settings' });
    expect(router.pending).toBeNull();
    expect(router.visit).toBe(before + 1);
  });

  it('stays when the person keeps editing', () => {
    release = router.guardLeaving(() => true);
    router.navigate({ screen: 'editor', id: null });
    router.stay();
    expect(router.route).toEqual({ screen: 'directories' });
    expect(router.pending).toBeNull();
  });

  it('forgets the guard of a screen that has gone', () => {
    const releaseEditor = router.guardLeaving(() => true);
    releaseEditor();
    router.navigate({ screen: 'settings' });
    expect(router.route).toEqual({ screen: 'settings' });
  });

  it('is guarded only while a screen has its check registered', () => {
    expect(router.guarded).toBe(false);
    const releaseEditor = router.guardLeaving(() => true);
    expect(router.guarded).toBe(true);
    releaseEditor();
    expect(router.guarded).toBe(false);

    release = router.guardLeaving(() => true);
    router.navigate({ screen: 'settings' });
    router.discardAndLeave();
    expect(router.guarded).toBe(false);
  });

  it('lets the window close when nothing is unsaved', () => {
    release = router.guardLeaving(() => false);
    expect(router.mayCloseWindow()).toBe(true);
    expect(router.pending).toBeNull();
  });

  it('holds closing the window over unsaved work until it is discarded', () => {
    release = router.guardLeaving(() => true);
    const before = router.visit;
    expect(router.mayCloseWindow()).toBe(false);
    expect(router.pending).toEqual({ screen: 'close-window' });

    expect(router.discardAndLeave()).toEqual({ screen: 'close-window' });
    expect(router.route).toEqual({ screen: 'directories' });
    expect(router.visit).toBe(before);
    expect(router.pending).toBeNull();
  });
});
