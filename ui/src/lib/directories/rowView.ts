import type { DirectorySummary } from '$lib/bindings/DirectorySummary';
import { checkLine, needsAttention, signInLine, type Tone } from '$lib/health/health';
import { PROBE_LABELS } from '$lib/health/probe';
import { expiryBadge } from './expiry';

export interface RowBadge {
  text: string;
  tone: Tone;
  /** Longer explanation, shown on hover. */
  title: string | undefined;
  testid: string;
}

/** What a row of the directory list shows besides the name and the logo. */
export interface RowView {
  /** Next to the name: what the directory is (a placeholder logo, hidden). */
  nameBadges: RowBadge[];
  suffixes: string;
  check: { text: string; tone: Tone; title: string | undefined };
  signIn: { text: string; tone: Tone };
  /** How it is doing: attention, the last secret probe, a missing secret, the expiry. */
  badges: RowBadge[];
}

/**
 * The row's contents, worked out in one go: the list renders many rows at start, and one value
 * per row costs far less there than a reactive piece per badge.
 */
export function rowView(directory: DirectorySummary): RowView {
  const nameBadges: RowBadge[] = [];
  if (directory.placeholder_logo) {
    nameBadges.push({
      text: 'placeholder logo',
      tone: 'warning',
      title:
        "The logo is a placeholder with the name drawn in it; replace it with the customer's logo in the editor",
      testid: 'badge-placeholder-logo',
    });
  }
  if (directory.is_hidden) {
    nameBadges.push({
      text: 'hidden',
      tone: 'neutral',
      title: 'Not listed on the directory selection screen; still used for its domain suffixes',
      testid: 'badge-hidden',
    });
  }

  const badges: RowBadge[] = [];
  const health = directory.health;
  if (needsAttention(directory)) {
    badges.push({
      text: 'needs attention',
      tone: 'danger',
      title: health.attention.join('\n'),
      testid: 'badge-attention',
    });
  }
  if (health.last_probe !== null) {
    const label = PROBE_LABELS[health.last_probe.verdict];
    badges.push({
      text: label.text,
      tone: label.tone,
      title: 'What the provider answered to the last secret probe',
      testid: 'badge-probe',
    });
  }
  if (!directory.has_client_secret) {
    badges.push({
      text: 'secret missing',
      tone: 'danger',
      title: 'No client secret is stored in the OS keyring for this directory',
      testid: 'badge-secret-missing',
    });
  }
  const expiry = expiryBadge(directory.secret_expiry);
  if (expiry !== null) badges.push({ ...expiry, testid: 'badge-expiry' });

  return {
    nameBadges,
    suffixes: directory.domain_suffixes.length > 0 ? directory.domain_suffixes.join(', ') : '—',
    check: { ...checkLine(health), title: health.last_check?.problem ?? undefined },
    signIn: signInLine(health),
    badges,
  };
}
