import { cancelDiscovery, discover, toApiError } from '$lib/api';
import type { DirectoryDocument } from '$lib/bindings/DirectoryDocument';
import type { DiscoveryReport } from '$lib/bindings/DiscoveryReport';

/** How often the elapsed time on screen moves on. */
const TICK_MS = 100;

export type DiscoveryPhase = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

/**
 * One editor's discovery: the request under way with its elapsed time, and the last answer.
 * Cancel stops the request in the core too; the answer of a request that was cancelled, or that
 * a newer one replaced, is ignored.
 */
export class DiscoveryRun {
  phase = $state<DiscoveryPhase>('idle');
  /** Milliseconds since the request under way started. */
  elapsedMs = $state(0);
  /** The last report received; kept while a new request runs, dropped when one fails. */
  report = $state<DiscoveryReport | null>(null);
  /** Why the last request failed. */
  error = $state<string | null>(null);
  /** The document the report was judged against, as JSON, to tell when the form moved on. */
  judgedDocument = $state<string | null>(null);

  #attempt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  get running(): boolean {
    return this.phase === 'running';
  }

  /** Starts discovery from `input`, judged against `document`; replaces any request under way. */
  async start(input: string, document: DirectoryDocument | null): Promise<void> {
    const attempt = ++this.#attempt;
    this.phase = 'running';
    this.error = null;
    this.#startClock();
    try {
      const report = await discover(input.trim(), document);
      if (attempt !== this.#attempt) return;
      this.report = report;
      this.judgedDocument = document === null ? null : JSON.stringify(document);
      this.phase = 'done';
    } catch (error) {
      if (attempt !== this.#attempt) return;
      this.report = null;
      this.judgedDocument = null;
      this.error = toApiError(error).message;
      this.phase = 'failed';
    } finally {
      if (attempt === this.#attempt) this.#stopClock();
    }
  }

  /** Stops the request under way; the previous report, if any, stays. */
  cancel(): void {
    if (this.phase !== 'running') return;
    this.#attempt += 1;
    this.#stopClock();
    this.phase = 'cancelled';
    // Best effort: should the core not hear it, the request still ends within its time limit.
    cancelDiscovery().catch(() => undefined);
  }

  /** Forgets the report and any message (the request under way, if any, is cancelled). */
  clear(): void {
    this.cancel();
    this.report = null;
    this.judgedDocument = null;
    this.error = null;
    this.phase = 'idle';
  }

  /** Drops the message of a failed request, e.g. once the person edits what it was about. */
  forgetError(): void {
    if (this.phase !== 'failed') return;
    this.error = null;
    this.phase = 'idle';
  }

  /** Whether `document` differs from the one the report was judged against. */
  isStale(document: DirectoryDocument | null): boolean {
    if (this.report === null) return false;
    return this.judgedDocument !== (document === null ? null : JSON.stringify(document));
  }

  #startClock(): void {
    this.#stopClock();
    const started = Date.now();
    this.elapsedMs = 0;
    this.#timer = setInterval(() => {
      this.elapsedMs = Date.now() - started;
    }, TICK_MS);
  }

  #stopClock(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
