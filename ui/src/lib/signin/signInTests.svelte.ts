import { cancelTestSignIn, startTestSignIn, toApiError } from '$lib/api';
import type { ClaimSource } from '$lib/bindings/ClaimSource';
import type { SignInEvent } from '$lib/bindings/SignInEvent';
import type { SignInResult } from '$lib/bindings/SignInResult';
import { claimNamesBySource } from './claimsJson';

/** Where a directory's test sign-in stands. */
export type TestPhase =
  /** Asked the core to start; the browser is being opened. */
  | 'starting'
  /** The browser was opened; waiting for the person to sign in there. */
  | 'waiting'
  /** The attempt ended: `result` says how. */
  | 'done'
  /** The person cancelled (or started another test); `result` is the previous one, if any. */
  | 'cancelled'
  /** The core could not start the attempt: `startError` says why. */
  | 'not_started';

/** One directory's test sign-in: the one running and the last result. */
export interface TestRun {
  directoryId: string;
  directoryName: string;
  /** Which attempt of the session this is; a newer one for the same directory replaces it. */
  attempt: number;
  phase: TestPhase;
  /** When the attempt started (ms since the epoch), for the elapsed time. */
  startedAt: number;
  /** What the core said once the browser was opened. */
  waiting: SignInEvent | null;
  /** The last finished attempt; lives in memory only, like every claim. */
  result: SignInResult | null;
  finishedAt: number | null;
  /** Why the attempt could not start, with the field it concerns. */
  startError: { message: string; field: string | null } | null;
}

/**
 * The test sign-ins of this session. The core runs one attempt at a time (a new one cancels the
 * one waiting), and the results stay in memory only, so the person can look at a directory's
 * claims again, or map claims from them, without another sign-in.
 */
class SignInTests {
  runs = $state<Record<string, TestRun>>({});
  /** The directory whose attempt is running, if any. */
  activeId = $state<string | null>(null);
  #attempt = 0;
  /** Attempts that were cancelled or replaced: their answer is not a result to show. */
  #abandoned = new Set<number>();

  run(id: string): TestRun | undefined {
    return this.runs[id];
  }

  /** Starts a test sign-in for the saved directory; a test waiting elsewhere is cancelled. */
  async start(id: string, name: string): Promise<void> {
    const attempt = ++this.#attempt;
    if (this.activeId !== null) this.#abandoned.add(attempt - 1);
    const previous = this.runs[id];
    this.runs[id] = {
      directoryId: id,
      directoryName: name,
      attempt,
      phase: 'starting',
      startedAt: Date.now(),
      waiting: null,
      result: previous?.result ?? null,
      finishedAt: previous?.finishedAt ?? null,
      startError: null,
    };
    this.activeId = id;
    // The run of this attempt, unless a newer attempt for the directory replaced it.
    const current = () => {
      const run = this.runs[id];
      return run?.attempt === attempt ? run : undefined;
    };
    try {
      const result = await startTestSignIn(id, (event) => {
        const run = current();
        if (run !== undefined && run.phase === 'starting') {
          run.waiting = event;
          run.phase = 'waiting';
        }
      });
      const run = current();
      if (run === undefined) return;
      if (this.#abandoned.has(attempt)) {
        run.phase = 'cancelled';
      } else {
        run.result = result;
        run.finishedAt = Date.now();
        run.phase = 'done';
      }
    } catch (error) {
      const run = current();
      if (run !== undefined && this.#abandoned.has(attempt)) {
        // Cancelled while the core was still preparing it: nothing to show but that.
        run.phase = 'cancelled';
      } else if (run !== undefined) {
        const failure = toApiError(error);
        run.startError = { message: failure.message, field: failure.field };
        run.phase = 'not_started';
      }
    } finally {
      this.#abandoned.delete(attempt);
      if (attempt === this.#attempt) this.activeId = null;
    }
  }

  /** Cancels the running attempt; its directory keeps its previous result. */
  async cancel(): Promise<void> {
    if (this.activeId === null) return;
    this.#abandoned.add(this.#attempt);
    const run = this.runs[this.activeId];
    if (run !== undefined) run.phase = 'cancelled';
    await cancelTestSignIn();
  }

  /** The claim names of the directory's last test, by source (empty before any test). */
  claimNames(id: string | null): Record<ClaimSource, string[]> {
    const result = id === null ? null : (this.runs[id]?.result ?? null);
    return result === null
      ? { access_token: [], id_token: [], userinfo: [] }
      : claimNamesBySource(result);
  }

  /** Forgets every result (tests use it; the app keeps them for the session). */
  clear(): void {
    this.runs = {};
    this.activeId = null;
  }
}

export const signInTests = new SignInTests();
