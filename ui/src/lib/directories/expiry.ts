import type { SecretExpiry } from '$lib/bindings/SecretExpiry';

/** Days before expiry from which a secret counts as expiring soon (DESIGN C11, seed 000). */
export const REMINDER_DAYS = 3;

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

function dayNumber(year: number, monthIndex: number, day: number): number {
  return Math.round(Date.UTC(year, monthIndex, day) / 86_400_000);
}

/**
 * The expiry state of a date typed in the editor but not saved yet, by the same rule as the
 * core's (0..=3 days left is "soon", past days are "expired"), counted in the local calendar.
 * Returns `not_set` for an empty or malformed date; the core reports malformed dates on save.
 */
export function expiryFromDate(date: string, today: Date): SecretExpiry {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  if (match === null) return { state: 'not_set' };
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const left =
    dayNumber(y, m - 1, d) - dayNumber(today.getFullYear(), today.getMonth(), today.getDate());
  if (left < 0) return { state: 'expired', days_ago: -left };
  if (left <= REMINDER_DAYS) return { state: 'soon', days_left: left };
  return { state: 'ok', days_left: left };
}
