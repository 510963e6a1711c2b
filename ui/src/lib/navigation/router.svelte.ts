import type { DiagnosticsReport } from '$lib/bindings/DiagnosticsReport';

/** The screens of the console. */
export type Route =
  | { screen: 'directories' }
  | { screen: 'editor'; id: string | null }
  /** "New directory": the provider's choice, or the blank form. */
  | { screen: 'new-directory' }
  /** A guided setup, under the id its directory has or will have. */
  | { screen: 'setup'; id: string }
  | { screen: 'settings' }
  | { screen: 'scim' }
  | { screen: 'scim-editor'; id: string | null }
  | { screen: 'sign-in'; id: string }
  | { screen: 'claims'; id: string }
  | { screen: 'routing' }
  /** A diagnostics report opened from a file. */
  | { screen: 'report'; report: DiagnosticsReport };

/** Where the person is going: another screen, or out of the app by closing its window. */
export type Leaving = Route | { screen: 'close-window' };

/**
 * In-app navigation with one leave guard: a screen holding unsaved work registers a check, and a
 * navigation (or closing the window) it objects to waits in `pending` until the person discards
 * the work or stays.
 */
class Router {
  route = $state<Route>({ screen: 'directories' });
  /** Incremented on every navigation, so a screen opened again starts afresh. */
  visit = $state(0);
  pending = $state<Leaving | null>(null);
  /** Whether a screen that can hold unsaved work has registered its check. */
  guarded = $state(false);
  #hasUnsavedWork: (() => boolean) | null = null;

  navigate(to: Route): void {
    if (this.#hasUnsavedWork?.() === true) {
      this.pending = to;
      return;
    }
    this.#go(to);
  }

  /**
   * The window is about to close: true when nothing unsaved stands in the way; otherwise the
   * close waits in `pending` like a navigation, and the caller keeps the window open.
   */
  mayCloseWindow(): boolean {
    if (this.#hasUnsavedWork?.() === true) {
      this.pending = { screen: 'close-window' };
      return false;
    }
    return true;
  }

  /** Registers the check for unsaved work; returns the function that removes it. */
  guardLeaving(hasUnsavedWork: () => boolean): () => void {
    this.#setCheck(hasUnsavedWork);
    return () => {
      if (this.#hasUnsavedWork === hasUnsavedWork) this.#setCheck(null);
    };
  }

  /**
   * The person chose to discard their changes: carry out the navigation that waited. Returns
   * what waited, so that the caller closes the window when that is what it was.
   */
  discardAndLeave(): Leaving | null {
    const to = this.pending;
    this.pending = null;
    if (to === null) return null;
    this.#setCheck(null);
    if (to.screen !== 'close-window') this.#go(to);
    return to;
  }

  stay(): void {
    this.pending = null;
  }

  #setCheck(hasUnsavedWork: (() => boolean) | null): void {
    this.#hasUnsavedWork = hasUnsavedWork;
    this.guarded = hasUnsavedWork !== null;
  }

  #go(to: Route): void {
    this.route = to;
    this.visit += 1;
  }
}

export const router = new Router();
