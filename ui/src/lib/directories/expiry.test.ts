import { describe, expect, it } from 'vitest';
import type { SecretExpiry } from '$lib/bindings/SecretExpiry';
import { expiryBadgeText, expiryDescription, expiryFromDate, expiryTone } from './expiry';

describe('expiryBadgeText', () => {
  it.each<[SecretExpiry, string | null]>([
    [{ state: 'not_set' }, null],
    [{ state: 'ok', days_left: 120 }, null],
    [{ state: 'ok', days_left: 4 }, null],
    [{ state: 'soon', days_left: 3 }, 'expires in 3 days'],
    [{ state: 'soon', days_left: 1 }, 'expires in 1 day'],
    [{ state: 'soon', days_left: 0 }, 'expires today'],
    [{ state: 'expired', days_ago: 1 }, 'expired'],
    [{ state: 'expired', days_ago: 40 }, 'expired'],
  ])('%j → %j', (expiry, text) => {
    expect(expiryBadgeText(expiry)).toBe(text);
  });

  it('gives the days of an expired secret in the description', () => {
    expect(expiryDescription({ state: 'expired', days_ago: 2 })).toBe(
      'The client secret expired 2 days ago.',
    );
    expect(expiryDescription({ state: 'not_set' })).toBeNull();
    expect(expiryDescription({ state: 'ok', days_left: 30 })).toBeNull();
  });

  it('paints soon as a warning and expired as danger, and nothing further away', () => {
    expect(expiryTone({ state: 'ok', days_left: 10 })).toBeNull();
    expect(expiryTone({ state: 'soon', days_left: 2 })).toBe('warning');
    expect(expiryTone({ state: 'expired', days_ago: 1 })).toBe('danger');
    expect(expiryTone({ state: 'not_set' })).toBeNull();
  });
});

describe('expiryFromDate', () => {
  // Late in the evening, to show the count is by calendar day and not by 24-hour periods.
  const today = new Date(2026, 2, 28, 23, 30);

  it.each<[string, SecretExpiry]>([
    ['', { state: 'not_set' }],
    ['28/03/2026', { state: 'not_set' }],
    ['2026-03-28', { state: 'soon', days_left: 0 }],
    ['2026-03-29', { state: 'soon', days_left: 1 }],
    ['2026-03-31', { state: 'soon', days_left: 3 }],
    ['2026-04-01', { state: 'ok', days_left: 4 }],
    ['2026-03-27', { state: 'expired', days_ago: 1 }],
    ['2025-03-28', { state: 'expired', days_ago: 365 }],
  ])('%j → %j', (date, expected) => {
    expect(expiryFromDate(date, today)).toEqual(expected);
  });

  it('counts across a daylight-saving change without an off-by-one', () => {
    const zone = process.env.TZ;
    // Node applies a changed TZ at once; 29 March 2026 is Berlin's switch to summer time, a day
    // of 23 hours, so a count in 24-hour periods would come out one short.
    process.env.TZ = 'Europe/Berlin';
    try {
      expect(expiryFromDate('2026-04-05', new Date(2026, 2, 25, 0, 30))).toEqual({
        state: 'ok',
        days_left: 11,
      });
    } finally {
      process.env.TZ = zone;
    }
  });
});
