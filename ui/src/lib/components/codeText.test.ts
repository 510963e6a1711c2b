import { describe, expect, it } from 'vitest';
import { splitCode } from './codeText';

describe('splitCode', () => {
  it('sets the names quoted in backticks apart', () => {
    expect(splitCode('`email` in the ID token')).toEqual([
      { text: 'email', code: true },
      { text: ' in the ID token', code: false },
    ]);
    expect(splitCode('map `oid` or `sub`')).toEqual([
      { text: 'map ', code: false },
      { text: 'oid', code: true },
      { text: ' or ', code: false },
      { text: 'sub', code: true },
    ]);
  });

  it('keeps a message with an unpaired backtick as text', () => {
    expect(splitCode('a ` b')).toEqual([{ text: 'a ` b', code: false }]);
    expect(splitCode('plain')).toEqual([{ text: 'plain', code: false }]);
  });
});
