import { describe, expect, it } from 'vitest';
import { parseUserJson } from './userJson';

describe('parseUserJson', () => {
  it('reads a pasted user', () => {
    expect(parseUserJson(' { "mail": "adele@contoso.com" } ')).toEqual({
      user: { mail: 'adele@contoso.com' },
      error: null,
    });
  });

  it('takes empty text as no user, without an error', () => {
    expect(parseUserJson('  \n')).toEqual({ user: null, error: null });
  });

  it('says why text is not JSON', () => {
    const { user, error } = parseUserJson('{ "mail": ');
    expect(user).toBeNull();
    expect(error).toMatch(/^Not JSON: /);
  });
});
