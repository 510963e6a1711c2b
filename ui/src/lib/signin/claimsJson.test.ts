import { describe, expect, it } from 'vitest';
import { failedSignInResult, sampleSignInResult } from '../../test/signinFixtures';
import { claimNamesBySource, claimsForEvaluation, hasAnyClaims } from './claimsJson';

describe('claims of a test sign-in for evaluation', () => {
  it('sends the claims of each source and an opaque access token as its raw string', () => {
    const result = sampleSignInResult();
    expect(JSON.parse(claimsForEvaluation(result))).toEqual({
      id_token: result.id_token.claims,
      userinfo: result.userinfo.claims,
      access_token: result.access_token.raw,
      unavailable: [],
    });
  });

  it('sends a JWT access token’s claims, and why a source brought nothing', () => {
    const base = sampleSignInResult();
    const result = sampleSignInResult({
      access_token: { ...base.access_token, status: 'unverified', claims: { scp: 'api' } },
      userinfo: {
        status: 'failed',
        status_detail: 'the userinfo endpoint answered 401',
        header: null,
        claims: null,
        raw: null,
      },
    });
    expect(JSON.parse(claimsForEvaluation(result))).toEqual({
      id_token: base.id_token.claims,
      userinfo: null,
      access_token: { scp: 'api' },
      unavailable: [
        {
          source: 'userinfo',
          reason: { kind: 'failed', message: 'the userinfo endpoint answered 401' },
        },
      ],
    });
  });

  it('knows when a test brought no claims at all', () => {
    expect(hasAnyClaims(sampleSignInResult())).toBe(true);
    expect(hasAnyClaims(failedSignInResult())).toBe(false);
  });

  it('lists the claim names of each source, sorted', () => {
    const names = claimNamesBySource(sampleSignInResult());
    expect(names.access_token).toEqual([]);
    expect(names.userinfo).toEqual(['email', 'name', 'sub']);
    expect(names.id_token).toContain('given_name');
    expect(names.id_token).toEqual([...names.id_token].sort());
  });
});
