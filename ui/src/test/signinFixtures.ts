import type { ClaimsEvaluation } from '$lib/bindings/ClaimsEvaluation';
import type { PastedClaims } from '$lib/bindings/PastedClaims';
import type { RouteDecision } from '$lib/bindings/RouteDecision';
import type { RoutingReport } from '$lib/bindings/RoutingReport';
import type { SignInEvent } from '$lib/bindings/SignInEvent';
import type { SignInResult } from '$lib/bindings/SignInResult';
import type { SignInTrace } from '$lib/bindings/SignInTrace';

/** The moment the sample tokens were issued; `exp` is an hour later. */
export const ISSUED_AT = 1_795_453_541;
const ISSUER = 'http://127.0.0.1:41035';
export const DIRECTORY_ID = '531b5f5e-2a2a-4b73-b109-3f17f7f34e36';

/** A successful test sign-in as the core answers it for the test OpenID Provider. */
export function sampleSignInResult(overrides: Partial<SignInResult> = {}): SignInResult {
  return {
    directory_name: 'Local OP',
    redirect_uri: 'http://127.0.0.1:47311/callback',
    succeeded: true,
    failure: null,
    access_token: {
      status: 'opaque',
      status_detail: 'the token is not a JWT (opaque): only the provider can read it',
      header: null,
      claims: null,
      raw: 'pPuhcguZACDIVsjImbf3gONVgYEn2uZlyk3glca544U',
    },
    id_token: {
      status: 'verified',
      status_detail: 'signature and claims checked',
      header: { alg: 'RS256', kid: 'keystore-CHANGE-ME' },
      claims: {
        sub: 'ada',
        email: 'ada@example.org',
        email_verified: true,
        given_name: 'Ada',
        family_name: 'Lovelace',
        groups: ['staff', 'engineering'],
        address: { locality: 'London', country: 'UK' },
        aud: 'console',
        exp: ISSUED_AT + 3600,
        iat: ISSUED_AT,
        iss: ISSUER,
        nonce: 'cVZr018qZO1cPnLMFn38KPvd6',
      },
      raw: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2ln',
    },
    userinfo: {
      status: 'received',
      status_detail: "received from the provider's userinfo endpoint",
      header: null,
      claims: { sub: 'ada', email: 'ada@example.org', name: 'Ada Lovelace' },
      raw: '{"sub":"ada","email":"ada@example.org","name":"Ada Lovelace"}',
    },
    checks: [
      { name: 'Algorithm', outcome: 'pass', detail: 'RS256' },
      { name: 'Signature', outcome: 'pass', detail: 'valid, key keystore-CHANGE-ME' },
      { name: 'Issuer', outcome: 'pass', detail: ISSUER },
      { name: 'Access token hash', outcome: 'skip', detail: 'no at_hash in the token' },
      {
        name: 'Userinfo subject',
        outcome: 'pass',
        detail: "userinfo's sub matches the ID token's",
      },
    ],
    token_response: { token_type: 'Bearer', expires_in: 3600, scope: 'openid email profile' },
    timings: {
      callback_to_result_ms: 21.7,
      token_ms: 17.7,
      userinfo_ms: 3.5,
      key_set_wait_ms: 0,
      processing_ms: 0.39,
    },
    trace: sampleTrace(),
    ...overrides,
  };
}

/** The steps of `sampleSignInResult`, as the core records them (secrets already removed). */
export function sampleTrace(): SignInTrace {
  return {
    started_at: '2026-11-24T13:45:41Z',
    steps: [
      {
        kind: 'authorization_request',
        started_ms: 0,
        duration_ms: 4,
        method: 'GET',
        url: `${ISSUER}/auth`,
        sent: [
          { name: 'client_id', value: 'console' },
          { name: 'code_challenge_method', value: 'S256' },
        ],
        received: [],
        ok: true,
        outcome: 'the browser was sent to the provider',
      },
      {
        kind: 'callback',
        started_ms: 5210,
        duration_ms: 0,
        method: null,
        url: 'http://127.0.0.1:47311/callback',
        sent: [],
        received: [{ name: 'code', value: '(43 characters, not kept)' }],
        ok: true,
        outcome: 'the provider redirected back with a code',
      },
      {
        kind: 'token_request',
        started_ms: 5211,
        duration_ms: 18,
        method: 'POST',
        url: `${ISSUER}/token`,
        sent: [{ name: 'grant_type', value: 'authorization_code' }],
        received: [{ name: 'token_type', value: 'Bearer' }],
        ok: true,
        outcome: 'the token endpoint answered 200',
      },
      {
        kind: 'verification',
        started_ms: 5229,
        duration_ms: 1,
        method: null,
        url: null,
        sent: [],
        received: [],
        ok: true,
        outcome: 'the ID token passed every check',
      },
    ],
  };
}

/** A test that ended at the token endpoint, with the provider's error. */
export function failedSignInResult(): SignInResult {
  const base = sampleSignInResult();
  return {
    ...base,
    succeeded: false,
    failure: {
      step: 'token',
      message: 'the token endpoint answered 401',
      hint: 'check the client secret, or turn on Token Endpoint Basic Auth',
      provider_error: 'invalid_client',
      provider_error_description: 'client authentication failed',
    },
    access_token: { ...base.access_token, status: 'not_requested', claims: null, raw: null },
    id_token: {
      status: 'not_requested',
      status_detail: 'no token',
      header: null,
      claims: null,
      raw: null,
    },
    userinfo: {
      status: 'not_requested',
      status_detail: 'not called',
      header: null,
      claims: null,
      raw: null,
    },
    checks: [],
  };
}

export function sampleWaiting(overrides: Partial<SignInEvent> = {}): SignInEvent {
  return {
    stage: 'waiting',
    authorization_url: `${ISSUER}/auth?client_id=console&state=abc`,
    redirect_uri: 'http://127.0.0.1:47311/callback',
    browser_error: null,
    timeout_secs: 300,
    ...overrides,
  };
}

/** The core's verdict on claims whose Last name mapping cannot be resolved. */
export function sampleEvaluation(overrides: Partial<ClaimsEvaluation> = {}): ClaimsEvaluation {
  return {
    directory_id: DIRECTORY_ID,
    directory_name: 'Staff (Entra)',
    sign_in_succeeds: false,
    summary: 'Sign-in would fail: 1 of 5 required mappings cannot be resolved (Last name)',
    sources: [
      {
        source: 'access_token',
        available: false,
        claim_names: [],
        unavailable: { kind: 'opaque_access_token' },
        message: 'The access token is opaque (not a JWT): its claims cannot be read',
      },
      {
        source: 'id_token',
        available: true,
        claim_names: ['email', 'given_name', 'roles', 'sub'],
        unavailable: null,
        message: 'The ID token holds 4 claim(s)',
      },
      {
        source: 'userinfo',
        available: false,
        claim_names: [],
        unavailable: { kind: 'no_userinfo_url' },
        message: 'The directory has no Userinfo URL, so Userinfo claims cannot be used',
      },
    ],
    mappings: [
      resolved('external_id', 'External ID', 'email', 'ada@example.org'),
      resolved('username', 'Username', 'email', 'ada@example.org'),
      resolved('email', 'Email', 'email', 'ada@example.org'),
      {
        ...resolved('first_name', 'First name', 'given_name', 'Ada'),
        outcome: {
          status: 'resolved',
          value: 'Ada',
          taken_as: { kind: 'first_element', count: 2 },
        },
        warning: '`given_name` holds a list; its first element is taken',
      },
      {
        field: 'last_name',
        label: 'Last name',
        claim: 'surname',
        source: 'id_token',
        required: true,
        ok: false,
        outcome: { status: 'missing', elsewhere: [], case_variants: [] },
        message: 'The ID token has no `surname` claim; sign-in would fail',
        warning: null,
        suggestions: [{ claim: 'family_name', source: 'id_token', value: '"Lovelace"' }],
      },
    ],
    external_id: {
      claim: 'email',
      source: 'id_token',
      directory_id: DIRECTORY_ID,
      claim_value: 'ada@example.org',
      external_id: `${DIRECTORY_ID};ada@example.org`,
      matching:
        "While a contact's external ID is blank the sign-in service matches it by primary email",
      provider_is_entra: true,
      warning: "`email` can change over a person's life; map the External ID to `oid`",
      suggested_claim: 'oid',
      suggested_claim_seen: null,
      note: null,
    },
    staff: {
      rule: { mode: 'claim_equals', claim: 'roles', value: 'Staff' },
      is_staff: true,
      decided_by: { claim: 'roles', source: 'id_token', value: ['Staff', 'Users'] },
      reason: '`roles` in the ID token holds "Staff", so the user signs in as staff',
      hints: ['Userinfo was not checked: the directory has no Userinfo URL'],
      checks: [
        {
          source: 'access_token',
          check: { status: 'unavailable', reason: { kind: 'opaque_access_token' } },
        },
        { source: 'id_token', check: { status: 'equal', value: ['Staff', 'Users'] } },
        {
          source: 'userinfo',
          check: { status: 'unavailable', reason: { kind: 'no_userinfo_url' } },
        },
      ],
    },
    ...overrides,
  };
}

function resolved(
  field: ClaimsEvaluation['mappings'][number]['field'],
  label: string,
  claim: string,
  value: string,
): ClaimsEvaluation['mappings'][number] {
  return {
    field,
    label,
    claim,
    source: 'id_token',
    required: true,
    ok: true,
    outcome: { status: 'resolved', value, taken_as: { kind: 'text' } },
    message: `${label} = "${value}" (\`${claim}\` in the ID token)`,
    warning: null,
    suggestions: [],
  };
}

export function samplePasted(overrides: Partial<PastedClaims> = {}): PastedClaims {
  return {
    claims: {
      access_token: null,
      id_token: { sub: 'abc', email: 'ada@example.org', exp: ISSUED_AT + 3600 },
      userinfo: null,
      unavailable: [{ source: 'access_token', reason: { kind: 'opaque_access_token' } }],
    },
    form: { form: 'by_source' },
    ignored_keys: ['token_type'],
    notes: ['ignored token_type: only access_token, id_token and userinfo hold claims'],
    ...overrides,
  };
}

const STAFF = { id: 'staff-id', name: 'Staff (Entra)', is_hidden: true };
const MEMBERS = { id: 'members-id', name: 'Members', is_hidden: false };

export function staffRoute(): RouteDecision {
  return {
    email: 'staff@example.org',
    domain: 'example.org',
    domain_unicode: 'example.org',
    route: { rule: 'domain_suffix', directory: STAFF, suffix: 'example.org' },
    can_sign_in: true,
    explanation:
      'example.org is a domain suffix of "Staff (Entra)" (hidden), so the sign-in service sends the user straight to it',
    notes: [],
  };
}

export function publicRoute(): RouteDecision {
  return {
    email: 'someone@gmail.com',
    domain: 'gmail.com',
    domain_unicode: 'gmail.com',
    route: { rule: 'single_visible_directory', directory: MEMBERS },
    can_sign_in: true,
    explanation:
      'No directory lists gmail.com, and "Members" is the only directory not hidden, so the user is sent to it',
    notes: [],
  };
}

export function sampleRoutingReport(overrides: Partial<RoutingReport> = {}): RoutingReport {
  return {
    ok: true,
    nobody_can_sign_in: false,
    directory_count: 2,
    visible: [MEMBERS],
    domains: [{ domain: 'example.org', directory: STAFF }],
    other_domains: { rule: 'single_visible_directory', directory: MEMBERS },
    findings: [
      {
        severity: 'info',
        code: 'staff_public_pattern',
        message: 'Staff sign in through "Staff (Entra)"; everyone else through "Members"',
        fix: '',
        field: null,
        subject: null,
        directories: [STAFF, MEMBERS],
      },
      {
        severity: 'info',
        code: 'other_domains',
        message: 'Users whose email domain no directory lists are sent to "Members"',
        fix: '',
        field: null,
        subject: null,
        directories: [MEMBERS],
      },
    ],
    summary: 'Routing works (2 directories, 1 visible, 1 domain suffix(es))',
    ...overrides,
  };
}
