import { cancelCheckAll, checkAllDirectories, probeAllSecrets, toApiError } from '$lib/api';
import type { CheckProgress } from '$lib/bindings/CheckProgress';
import type { CheckStatus } from '$lib/bindings/CheckStatus';
import type { DirectoryCheck } from '$lib/bindings/DirectoryCheck';
import type { SecretProbe } from '$lib/bindings/SecretProbe';

export const STATUS_LABELS: Record<CheckStatus, string> = {
  failed: 'Failed',
  errors: 'Errors',
  warnings: 'Warnings',
  ok: 'OK',
  skipped: 'Skipped',
};

export const STATUS_TONES: Record<CheckStatus, 'success' | 'warning' | 'danger' | 'neutral'> = {
  failed: 'danger',
  errors: 'danger',
  warnings: 'warning',
  ok: 'success',
  skipped: 'neutral',
};

/** "5 directories: 2 OK, 1 with warnings, 1 with errors, 1 failed", the zero counts left out. */
export function checkSummary(checks: readonly DirectoryCheck[]): string {
  const count = (status: CheckStatus) => checks.filter((c) => c.status === status).length;
  const parts: [number, string][] = [
    [count('ok'), 'OK'],
    [count('warnings'), 'with warnings'],
    [count('errors'), 'with errors'],
    [count('failed'), 'failed'],
    [count('skipped'), 'skipped'],
  ];
  const total = checks.length === 1 ? '1 directory' : `${checks.length} directories`;
  const shown = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return shown.length === 0 ? total : `${total}: ${shown.join(', ')}`;
}

/** ", secrets: 2 accepted, 1 refused", the zero counts left out; "" without probes. */
export function probeSummary(probes: Record<string, SecretProbe> | null): string {
  if (probes === null) return '';
  const all = Object.values(probes);
  const parts = (
    [
      ['accepted', 'accepted'],
      ['refused', 'refused'],
      ['unknown', 'not confirmed'],
      ['no_secret', 'without a stored secret'],
    ] as const
  )
    .map(([verdict, words]) => [all.filter((p) => p.verdict === verdict).length, words] as const)
    .filter(([n]) => n > 0)
    .map(([n, words]) => `${n} ${words}`);
  return parts.length === 0 ? '' : `; secrets: ${parts.join(', ')}`;
}

/**
 * "Check all directories" for the list screen. It lives outside the screen, so a check keeps
 * running, and its results stay, while the person opens a directory and comes back.
 */
class CheckAll {
  phase = $state<'idle' | 'running' | 'done' | 'failed'>('idle');
  progress = $state<CheckProgress | null>(null);
  results = $state<DirectoryCheck[]>([]);
  error = $state<string | null>(null);
  /** Ids of the directories whose findings are shown. */
  expanded = $state<string[]>([]);
  /** Whether the check also asks each provider if it accepts the client secret. */
  probeSecrets = $state(false);
  /** The probes' answers by directory id, when they were asked for. */
  probes = $state<Record<string, SecretProbe> | null>(null);
  /** How many checks have finished: the list reloads its health column when this grows. */
  finished = $state(0);

  #attempt = 0;

  get running(): boolean {
    return this.phase === 'running';
  }

  async run(): Promise<void> {
    if (this.running) return;
    const attempt = ++this.#attempt;
    this.phase = 'running';
    this.progress = null;
    this.error = null;
    this.expanded = [];
    this.probes = null;
    try {
      // The probes run beside the discovery fetches: one token request per directory.
      const [results, probes] = await Promise.all([
        checkAllDirectories((progress) => {
          if (attempt === this.#attempt) this.progress = progress;
        }),
        this.probeSecrets ? probeAllSecrets() : Promise.resolve(null),
      ]);
      if (attempt !== this.#attempt) return;
      this.results = results;
      this.probes = probes === null ? null : Object.fromEntries(probes.map((p) => [p.id, p.probe]));
      this.phase = 'done';
      this.finished += 1;
    } catch (error) {
      if (attempt !== this.#attempt) return;
      this.results = [];
      this.error = toApiError(error).message;
      this.phase = 'failed';
    }
  }

  toggle(id: string): void {
    this.expanded = this.expanded.includes(id)
      ? this.expanded.filter((e) => e !== id)
      : [...this.expanded, id];
  }

  /** Hides the results; a check under way is cancelled, in the core too. */
  dismiss(): void {
    if (this.running) {
      // Best effort: should the core not hear it, every request still ends within its limit.
      cancelCheckAll().catch(() => undefined);
    }
    this.#attempt += 1;
    this.phase = 'idle';
    this.progress = null;
    this.results = [];
    this.error = null;
    this.expanded = [];
    this.probes = null;
  }
}

export const checkAll = new CheckAll();
