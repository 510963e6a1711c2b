import { describe, expect, it } from 'vitest';
import type { SecretExpiry } from '$lib/bindings/SecretExpiry';
import { expiryBadgeText, expiryDescription, expiryTone } from './expiry';

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
