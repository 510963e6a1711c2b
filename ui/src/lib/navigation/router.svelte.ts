/** The screens of the console. */
export type Route =
  | { screen: 'directories' }
  | { screen: 'editor'; id: string | null }
  | { screen: 'settings' }
  | { screen: 'scim' }
  | { screen: 'scim-editor'; id: string | null }
  | { screen: 'sign-in'; id: string }
  | { screen: 'claims'; id: string }
  | { screen: 'routing' };

/**
 * In-app navigation with one leave guard: a screen holding unsaved work registers a check, and a
 * navigation it objects to waits in `pending` until the person discards the work or stays.
 */
class Router {
  route = $state<Route>({ screen: 'directories' });
  /** Incremented on every navigation, so a screen opened again starts afresh. */
  visit = $state(0);
  pending = $state<Route | null>(null);
  #hasUnsavedWork: (() => boolean) | null = null;

  navigate(to: Route): void {
    if (this.#hasUnsavedWork?.() === true) {
      this.pending = to;
      return;
    }
    this.#go(to);
  }

  /** Registers the check for unsaved work; returns the function that removes it. */
  guardLeaving(hasUnsavedWork: () => boolean): () => void {
    this.#hasUnsavedWork = hasUnsavedWork;
    return () => {
      if (this.#hasUnsavedWork === hasUnsavedWork) this.#hasUnsavedWork = null;
    };
  }

  /** The person chose to discard their changes: carry out the navigation that waited. */
  discardAndLeave(): void {
    const to = this.pending;
    this.pending = null;
    if (to === null) return;
    this.#hasUnsavedWork = null;
    this.#go(to);
  }

  stay(): void {
    this.pending = null;
  }

  #go(to: Route): void {
    this.route = to;
    this.visit += 1;
  }
}

export const router = new Router();
