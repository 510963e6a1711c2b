import type { SecretExpiry } from '$lib/bindings/SecretExpiry';

export type ExpiryTone = 'warning' | 'danger';

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

/**
 * The badge text for a secret's expiry: only from three days before the date on, as seed 000
 * asks; null when no date is set or it is further away.
 */
export function expiryBadgeText(expiry: SecretExpiry): string | null {
  switch (expiry.state) {
    case 'not_set':
    case 'ok':
      return null;
    case 'soon':
      return expiry.days_left === 0 ? 'expires today' : `expires in ${days(expiry.days_left)}`;
    case 'expired':
      return 'expired';
  }
}

/** A longer sentence for tooltips and the start-up banner. */
export function expiryDescription(expiry: SecretExpiry): string | null {
  if (expiry.state === 'expired') return `The client secret expired ${days(expiry.days_ago)} ago.`;
  const text = expiryBadgeText(expiry);
  return text === null ? null : `The client secret ${text}.`;
}

export function expiryTone(expiry: SecretExpiry): ExpiryTone | null {
  switch (expiry.state) {
    case 'not_set':
    case 'ok':
      return null;
    case 'soon':
      return 'warning';
    case 'expired':
      return 'danger';
  }
}

/** The expiry badge's words, tone and tooltip; null when there is nothing to show yet. */
export function expiryBadge(
  expiry: SecretExpiry,
): { text: string; tone: ExpiryTone; title: string | undefined } | null {
  const text = expiryBadgeText(expiry);
  const tone = expiryTone(expiry);
  if (text === null || tone === null) return null;
  return { text, tone, title: expiryDescription(expiry) ?? undefined };
}
