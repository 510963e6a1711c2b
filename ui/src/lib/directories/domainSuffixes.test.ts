import { describe, expect, it } from 'vitest';
import { joinDomainSuffixes, splitDomainSuffixes } from './domainSuffixes';

describe('splitDomainSuffixes', () => {
  it.each([
    ['', []],
    ['   ', []],
    ['example.com', ['example.com']],
    ['example.org, members.example.com', ['example.org', 'members.example.com']],
    [' a.example ,b.example,  c.example ', ['a.example', 'b.example', 'c.example']],
    ['a.example,,b.example,', ['a.example', 'b.example']],
    // Only commas separate: the core reports "a.example b.example" as one invalid domain.
    ['a.example b.example', ['a.example b.example']],
    // Case and IDN normalisation belong to the core.
    ['Example.COM, bücher.example', ['Example.COM', 'bücher.example']],
  ])('%j → %j', (text, expected) => {
    expect(splitDomainSuffixes(text)).toEqual(expected);
  });

  it('round-trips with joinDomainSuffixes', () => {
    const suffixes = ['example.org', 'members.example.com'];
    expect(joinDomainSuffixes(suffixes)).toBe('example.org, members.example.com');
    expect(splitDomainSuffixes(joinDomainSuffixes(suffixes))).toEqual(suffixes);
  });
});
