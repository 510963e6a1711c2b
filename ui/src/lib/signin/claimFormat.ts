/**
 * How claim values are shown: time claims in local and relative time, lists and objects in a
 * readable form. Pure functions, so the rules are tested without a component.
 */

/** Claims that hold a time as seconds since the Unix epoch (RFC 7519, OpenID Connect Core). */
export const TIME_CLAIMS: ReadonlySet<string> = new Set([
  'exp',
  'iat',
  'nbf',
  'auth_time',
  'updated_at',
]);

/** The latest instant `Date` can hold, in seconds: anything beyond is not a time. */
const MAX_EPOCH_SECONDS = 8.64e12;

/** The time a claim holds, when it is a time claim with a number of seconds; else null. */
export function timeOfClaim(name: string, value: unknown): Date | null {
  if (!TIME_CLAIMS.has(name) || typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (Math.abs(value) > MAX_EPOCH_SECONDS) return null;
  return new Date(value * 1000);
}

const LOCAL_TIME = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
});

/** The date and time in the person's locale and time zone. */
export function localTime(date: Date): string {
  return LOCAL_TIME.format(date);
}

/**
 * "in 59 min", "2 h ago", "now": how far `date` is from `now`, rounded down to the largest
 * unit that fits, so a token valid for 3,599 more seconds reads "in 59 min".
 */
export function relativeTime(date: Date, now: Date): string {
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 1) return 'now';
  let amount: string;
  if (abs < 60) amount = `${Math.floor(abs)} s`;
  else if (abs < 3600) amount = `${Math.floor(abs / 60)} min`;
  else if (abs < 48 * 3600) amount = `${Math.floor(abs / 3600)} h`;
  else if (abs < 730 * 86400) amount = `${Math.floor(abs / 86400)} days`;
  else amount = `${Math.floor(abs / (365.25 * 86400))} years`;
  return seconds > 0 ? `in ${amount}` : `${amount} ago`;
}

/** How a claim's value is laid out. */
export type ClaimValueView =
  | { kind: 'text'; text: string }
  | { kind: 'literal'; text: string }
  | { kind: 'time'; local: string; relative: string; raw: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'json'; text: string };

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function scalarText(value: string | number | boolean | null): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The layout of one claim: strings as text, times in human time, lists item by item. */
export function viewOfClaim(name: string, value: unknown, now: Date): ClaimValueView {
  const time = timeOfClaim(name, value);
  if (time !== null) {
    return {
      kind: 'time',
      local: localTime(time),
      relative: relativeTime(time, now),
      raw: String(value),
    };
  }
  if (typeof value === 'string') return { kind: 'text', text: value };
  if (isScalar(value)) return { kind: 'literal', text: JSON.stringify(value) };
  if (Array.isArray(value) && value.length > 0 && value.every(isScalar)) {
    return { kind: 'list', items: value.map(scalarText) };
  }
  return { kind: 'json', text: JSON.stringify(value, null, 2) };
}

/** What "Copy" puts on the clipboard for a claim: a string as it is, anything else as JSON. */
export function copyTextOfClaim(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** A JSON value in one short line, for a value quoted inside a sentence. */
export function shortJson(value: unknown, limit = 80): string {
  // JSON.stringify answers undefined for undefined, functions and symbols.
  const text = (JSON.stringify(value) as string | undefined) ?? String(value);
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
