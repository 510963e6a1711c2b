import { describe, expect, it } from 'vitest';
import { searchLines } from './textSearch';

const DOCUMENT =
  '{\n  "issuer": "https://idp.example.com",\n  "jwks_uri": "https://idp.example.com/keys"\n}';

describe('searchLines', () => {
  it('numbers every line and marks nothing without a search', () => {
    const result = searchLines(DOCUMENT, '');
    expect(result.lines.map((l) => l.number)).toEqual([1, 2, 3, 4]);
    expect(result.lines.every((l) => !l.matches)).toBe(true);
    expect(result.lines[1]?.segments).toEqual([
      { text: '  "issuer": "https://idp.example.com",', match: false },
    ]);
    expect(result).toMatchObject({ matchingLines: 0, occurrences: 0 });
  });

  it('marks each occurrence, ignoring case, and keeps the text around it', () => {
    const result = searchLines(DOCUMENT, 'IDP.example');
    expect(result).toMatchObject({ matchingLines: 2, occurrences: 2 });
    expect(result.lines[2]?.segments).toEqual([
      { text: '  "jwks_uri": "https://', match: false },
      { text: 'idp.example', match: true },
      { text: '.com/keys"', match: false },
    ]);
    expect(result.lines.map((l) => l.matches)).toEqual([false, true, true, false]);
  });

  it('finds several occurrences in one line, up to its very end', () => {
    const result = searchLines('aXbxx', 'x');
    expect(result.occurrences).toBe(3);
    expect(result.lines[0]?.segments).toEqual([
      { text: 'a', match: false },
      { text: 'X', match: true },
      { text: 'b', match: false },
      { text: 'x', match: true },
      { text: 'x', match: true },
    ]);
  });

  it('keeps markup as plain text', () => {
    const result = searchLines('<img src=x onerror=alert(1)>', 'img');
    expect(result.lines[0]?.segments.map((s) => s.text).join('')).toBe(
      '<img src=x onerror=alert(1)>',
    );
  });
});
