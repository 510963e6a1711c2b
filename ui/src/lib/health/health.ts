import type { DirectorySummary } from '$lib/bindings/DirectorySummary';
import type { HealthState } from '$lib/bindings/HealthState';
import type { CheckStatus } from '$lib/bindings/CheckStatus';
import { STATUS_TONES } from '$lib/discovery/checkAll.svelte';
import { expiryBadgeText } from '$lib/directories/expiry';

export type Tone = 'success' | 'warning' | 'danger' | 'neutral';

/** "just now", "5 min ago", "3 h ago", "2 days ago": how long ago `iso` was, at `now`. */
export function ago(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const minutes = Math.floor(Math.max(0, now - then) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** Whether the list's "Needs attention" filter keeps the directory. */
export function needsAttention(directory: DirectorySummary): boolean {
  return directory.health.attention.length > 0;
}

/** How the last check went, after "Check". */
const CHECK_WORDS: Record<CheckStatus, string> = {
  failed: 'failed',
  errors: 'found errors',
  warnings: 'with warnings',
  ok: 'OK',
  skipped: 'skipped',
};

/** The last check in the list's words: "Check OK · 5 min ago", or "Never checked". */
export function checkLine(state: HealthState, now?: number): { text: string; tone: Tone } {
  const check = state.last_check;
  if (check === null) return { text: 'Never checked', tone: 'neutral' };
  return {
    text: `Check ${CHECK_WORDS[check.status]} · ${ago(check.at, now)}`,
    tone: STATUS_TONES[check.status],
  };
}

/** The last test sign-in: "Sign-in OK · 2 h ago", "Sign-in failed at Token request · …". */
export function signInLine(state: HealthState, now?: number): { text: string; tone: Tone } {
  const signIn = state.last_sign_in;
  if (signIn === null) return { text: 'Never tested', tone: 'neutral' };
  const when = ago(signIn.at, now);
  return signIn.succeeded
    ? { text: `Sign-in OK · ${when}`, tone: 'success' }
    : {
        text: `Sign-in failed at ${signIn.failed_step ?? 'an unknown step'} · ${when}`,
        tone: 'danger',
      };
}

/** Why the start-up banner names a directory: its expiry, a refused secret, a failed check. */
export function bannerReasons(directory: DirectorySummary): string[] {
  const reasons: string[] = [];
  const expiry = expiryBadgeText(directory.secret_expiry);
  if (expiry !== null) reasons.push(`client secret ${expiry}`);
  const { last_probe: probe, last_check: check } = directory.health;
  if (probe?.verdict === 'refused') reasons.push('the provider refused the client secret');
  if (check?.status === 'failed') reasons.push('the last check failed');
  if (check?.status === 'errors') reasons.push('the last check found errors');
  return reasons;
}
