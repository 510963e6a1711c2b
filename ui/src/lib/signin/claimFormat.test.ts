import { describe, expect, it } from 'vitest';
import {
  copyTextOfClaim,
  localTime,
  relativeTime,
  shortJson,
  timeOfClaim,
  viewOfClaim,
} from './claimFormat';

const NOW = new Date('2026-11-23T16:00:00Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('claim formatting', () => {
  it.each([
    [3599, 'in 59 min'],
    [3600, 'in 1 h'],
    [-2 * 3600 - 5, '2 h ago'],
    [-30, '30 s ago'],
    [45, 'in 45 s'],
    [0.4, 'now'],
    [-47 * 3600, '47 h ago'],
    [3 * 86400, 'in 3 days'],
    [-800 * 86400, '2 years ago'],
  ])('a time %i s from now reads "%s"', (seconds, expected) => {
    expect(relativeTime(at(seconds), NOW)).toBe(expected);
  });

  it.each([
    ['exp', 1_795_457_141, true],
    ['iat', 0, true],
    ['nbf', 1.5e9, true],
    ['auth_time', 1.5e9, true],
    ['updated_at', 1.5e9, true],
    ['exp', '1795457141', false],
    ['sub', 1_795_457_141, false],
    ['exp', Number.NaN, false],
    ['exp', 1e20, false],
  ])('%s = %s is a time claim: %s', (name, value, isTime) => {
    expect(timeOfClaim(name, value) !== null).toBe(isTime);
  });

  it('shows a time claim in local time, relative time and the number', () => {
    const exp = NOW.getTime() / 1000 + 3599;
    expect(viewOfClaim('exp', exp, NOW)).toEqual({
      kind: 'time',
      local: localTime(new Date(exp * 1000)),
      relative: 'in 59 min',
      raw: String(exp),
    });
  });

  it('lays out strings, literals, lists and objects readably', () => {
    expect(viewOfClaim('email', 'ada@example.org', NOW)).toEqual({
      kind: 'text',
      text: 'ada@example.org',
    });
    expect(viewOfClaim('email_verified', true, NOW)).toEqual({ kind: 'literal', text: 'true' });
    expect(viewOfClaim('amr', null, NOW)).toEqual({ kind: 'literal', text: 'null' });
    expect(viewOfClaim('groups', ['staff', 7, false], NOW)).toEqual({
      kind: 'list',
      items: ['staff', '7', 'false'],
    });
    expect(viewOfClaim('groups', [], NOW)).toEqual({ kind: 'json', text: '[]' });
    expect(viewOfClaim('address', { locality: 'London' }, NOW)).toEqual({
      kind: 'json',
      text: '{\n  "locality": "London"\n}',
    });
  });

  it('copies a string as it is and anything else as JSON', () => {
    expect(copyTextOfClaim('ada')).toBe('ada');
    expect(copyTextOfClaim(['a', 'b'])).toBe('[\n  "a",\n  "b"\n]');
    expect(copyTextOfClaim(42)).toBe('42');
  });

  it('shortens long JSON for sentences', () => {
    expect(shortJson(['Staff'])).toBe('["Staff"]');
    expect(shortJson('x'.repeat(200), 10)).toBe('"xxxxxxxx…');
    expect(shortJson(undefined)).toBe('undefined');
  });
});
