import type { CheckOutcome } from '$lib/bindings/CheckOutcome';
import type { ClaimSource } from '$lib/bindings/ClaimSource';
import type { SignInStep } from '$lib/bindings/SignInStep';
import type { SourceStatus } from '$lib/bindings/SourceStatus';
import type { Unavailable } from '$lib/bindings/Unavailable';

type Tone = 'neutral' | 'success' | 'info' | 'warning' | 'danger';

/** The three places a claim comes from, in the order seed 000 names them. */
export const SOURCE_ORDER: readonly ClaimSource[] = ['access_token', 'id_token', 'userinfo'];

export const SOURCE_LABELS: Record<ClaimSource, string> = {
  access_token: 'Access Token',
  id_token: 'ID Token',
  userinfo: 'Userinfo',
};

/** How a source's verification status is shown: its badge text and colour. */
export const SOURCE_STATUS: Record<SourceStatus, { label: string; tone: Tone }> = {
  verified: { label: 'verified', tone: 'success' },
  unverified: { label: 'unverified', tone: 'warning' },
  opaque: { label: 'opaque', tone: 'info' },
  not_requested: { label: 'not requested', tone: 'neutral' },
  failed: { label: 'failed', tone: 'danger' },
  received: { label: 'received', tone: 'info' },
};

/** The step of a test sign-in, as a person names it. */
export const STEP_LABELS: Record<SignInStep, string> = {
  browser: 'Browser sign-in',
  callback: 'Redirect back to the console',
  token: 'Token exchange',
  id_token: 'ID token checks',
  userinfo: 'Userinfo request',
};

export const OUTCOME_LABELS: Record<CheckOutcome, string> = {
  pass: 'Passed',
  fail: 'Failed',
  skip: 'Skipped',
  warn: 'Warning',
};

/** Why a source has no claims to use, in a few words. */
export function unavailableText(reason: Unavailable): string {
  switch (reason.kind) {
    case 'not_provided':
      return 'not provided';
    case 'not_requested':
      return 'not requested';
    case 'no_openid_scope':
      return 'no ID token: the scopes lack “openid”';
    case 'opaque_access_token':
      return 'the access token is opaque: its claims cannot be read';
    case 'no_userinfo_url':
      return 'the directory has no Userinfo URL';
    case 'failed':
      return `failed: ${reason.message}`;
  }
}
