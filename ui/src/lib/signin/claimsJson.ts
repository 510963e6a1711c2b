import type { ClaimSource } from '$lib/bindings/ClaimSource';
import type { SignInResult } from '$lib/bindings/SignInResult';
import type { SourceClaims } from '$lib/bindings/SourceClaims';
import type { SourceUnavailable } from '$lib/bindings/SourceUnavailable';
import { SOURCE_ORDER } from './sources';

function sourceOf(result: SignInResult, source: ClaimSource): SourceClaims {
  return result[source];
}

/** Why a source brought no claims, as the core's claim set records it; null when it did. */
function unavailableOf(source: ClaimSource, claims: SourceClaims): SourceUnavailable | null {
  if (claims.claims !== null) return null;
  switch (claims.status) {
    case 'opaque':
      return { source, reason: { kind: 'opaque_access_token' } };
    case 'not_requested':
      return { source, reason: { kind: 'not_requested' } };
    case 'failed':
      return { source, reason: { kind: 'failed', message: claims.status_detail } };
    default:
      return null;
  }
}

/**
 * The claims of a test sign-in in the form `evaluate_claims` reads: the claims of each source,
 * an opaque access token as its raw string, and why a source brought nothing (a userinfo call
 * that failed is not the same as one never made).
 */
export function claimsForEvaluation(result: SignInResult): string {
  const access = result.access_token;
  const accessValue =
    access.claims ?? (access.status === 'opaque' && access.raw !== null ? access.raw : null);
  const unavailable = SOURCE_ORDER.map((source) =>
    source === 'access_token' && typeof accessValue === 'string'
      ? null
      : unavailableOf(source, sourceOf(result, source)),
  ).filter((u) => u !== null);
  return JSON.stringify(
    {
      id_token: result.id_token.claims,
      userinfo: result.userinfo.claims,
      access_token: accessValue,
      unavailable,
    },
    null,
    2,
  );
}

/** Whether a test brought any claim at all (a failed browser step brings none). */
export function hasAnyClaims(result: SignInResult): boolean {
  return SOURCE_ORDER.some((source) => sourceOf(result, source).claims !== null);
}

/** The claim names of each source, sorted, for suggestions while mapping. */
export function claimNamesBySource(result: SignInResult): Record<ClaimSource, string[]> {
  const names = (source: ClaimSource) => Object.keys(sourceOf(result, source).claims ?? {}).sort();
  return {
    access_token: names('access_token'),
    id_token: names('id_token'),
    userinfo: names('userinfo'),
  };
}
