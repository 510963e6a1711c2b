import type { DirectoryCheck } from '$lib/bindings/DirectoryCheck';
import type { DirectoryDetail } from '$lib/bindings/DirectoryDetail';
import type { DirectoryDocument } from '$lib/bindings/DirectoryDocument';
import type { DirectorySummary } from '$lib/bindings/DirectorySummary';
import type { DiscoveryReport } from '$lib/bindings/DiscoveryReport';
import type { Finding } from '$lib/bindings/Finding';

/** A saved directory document as the core returns it. */
export function sampleDocument(overrides: Partial<DirectoryDocument> = {}): DirectoryDocument {
  return {
    id: '531b5f5e-2a2a-4b73-b109-3f17f7f34e36',
    name: 'Contoso staff (Entra)',
    logo_png_base64: '',
    discovery_domain: null,
    authorization_url: 'https://login.example.com/authorize',
    token_url: 'https://login.example.com/token',
    userinfo_url: null,
    issuer: null,
    jwks_uri: null,
    scopes: 'openid email profile',
    client_id: 'client-1',
    client_secret_expires_on: null,
    pkce: true,
    response_mode_form_post: false,
    token_endpoint_basic_auth: false,
    new_contact_member_type: '',
    new_contact_status: '',
    claims: {
      external_id: { claim: 'oid', source: 'id_token' },
      username: { claim: 'email', source: 'id_token' },
      email: { claim: 'email', source: 'id_token' },
      first_name: { claim: 'given_name', source: 'id_token' },
      last_name: { claim: 'family_name', source: 'id_token' },
    },
    staff: { mode: 'none' },
    is_hidden: false,
    domain_suffixes: ['contoso.com'],
    test_redirect_port: null,
    ...overrides,
  };
}

export function sampleDetail(overrides: Partial<DirectoryDetail> = {}): DirectoryDetail {
  return {
    document: sampleDocument(),
    revision: 3,
    has_client_secret: true,
    redirect_url: 'https://sso.example.com/callback/531b5f5e-2a2a-4b73-b109-3f17f7f34e36',
    secret_expiry: { state: 'not_set' },
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-02T00:00:00Z',
    warnings: [],
    ...overrides,
  };
}

export function sampleSummaries(count: number): DirectorySummary[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `dir-${String(i).padStart(5, '0')}`,
    name: `Directory ${i}`,
    is_hidden: i % 7 === 0,
    domain_suffixes: [`d${i}.example.com`],
    has_client_secret: i % 5 !== 0,
    secret_expiry: { state: 'not_set' },
    placeholder_logo: false,
    revision: 1,
    // Every third one's last check failed; the others were never checked.
    health:
      i % 3 === 1
        ? {
            last_check: {
              at: '2026-01-02T00:00:00Z',
              status: 'failed',
              problem: 'the provider did not answer',
            },
            last_probe: null,
            last_sign_in: null,
            attention: ['discovery failed: the provider did not answer'],
          }
        : { last_check: null, last_probe: null, last_sign_in: null, attention: [] },
  }));
}

const ISSUER = 'https://login.example.com';

/** The raw document of `sampleReport`, pretty-printed as the core sends it. */
export const SAMPLE_RAW_DOCUMENT = JSON.stringify(
  {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/oauth2/authorize`,
    token_endpoint: `${ISSUER}/oauth2/token`,
    userinfo_endpoint: `${ISSUER}/oauth2/userinfo`,
    jwks_uri: `${ISSUER}/oauth2/keys`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    id_token_signing_alg_values_supported: ['RS256'],
  },
  null,
  2,
);

export function sampleFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    severity: 'error',
    code: 'token_auth_unsupported',
    message:
      'the directory authenticates with client_secret_post, but the provider supports client_secret_basic',
    fix: 'turn on Token Endpoint Basic Auth',
    field: 'token_endpoint_basic_auth',
    subject: null,
    directories: [],
    ...overrides,
  };
}

/** What discovery answers for login.example.com against `sampleDocument()`. */
export function sampleReport(overrides: Partial<DiscoveryReport> = {}): DiscoveryReport {
  return {
    document_url: `${ISSUER}/.well-known/openid-configuration`,
    metadata: {
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/oauth2/authorize`,
      token_endpoint: `${ISSUER}/oauth2/token`,
      userinfo_endpoint: `${ISSUER}/oauth2/userinfo`,
      jwks_uri: `${ISSUER}/oauth2/keys`,
      end_session_endpoint: null,
      scopes_supported: null,
      response_types_supported: ['code'],
      response_modes_supported: null,
      grant_types_supported: null,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: null,
      authorization_response_iss_parameter_supported: null,
    },
    raw_document: SAMPLE_RAW_DOCUMENT,
    key_set: {
      state: 'fetched',
      summary: {
        keys: [
          {
            kid: 'key-1',
            kty: 'RSA',
            alg: 'RS256',
            key_use: 'sig',
            crv: null,
            usable_for_signatures: true,
            problem: null,
            thumbprint: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
          },
        ],
        signing_keys: 1,
      },
    },
    prefill: {
      authorization_url: `${ISSUER}/oauth2/authorize`,
      token_url: `${ISSUER}/oauth2/token`,
      userinfo_url: `${ISSUER}/oauth2/userinfo`,
      issuer: ISSUER,
      jwks_uri: `${ISSUER}/oauth2/keys`,
    },
    changes: [
      {
        field: 'authorization_url',
        old: 'https://login.example.com/authorize',
        new: `${ISSUER}/oauth2/authorize`,
      },
      { field: 'token_url', old: 'https://login.example.com/token', new: `${ISSUER}/oauth2/token` },
      { field: 'userinfo_url', old: null, new: `${ISSUER}/oauth2/userinfo` },
      { field: 'issuer', old: null, new: ISSUER },
      { field: 'jwks_uri', old: null, new: `${ISSUER}/oauth2/keys` },
    ],
    findings: [
      sampleFinding(),
      sampleFinding({
        severity: 'warning',
        code: 'scope_not_advertised',
        message: 'the scope "profile" is not in scopes_supported (openid email)',
        fix: 'check the scope’s spelling; providers may still accept scopes they do not list',
        field: 'scopes',
      }),
      sampleFinding({
        severity: 'info',
        code: 'jwks_ok',
        message: 'the key set holds 1 signing key(s): RSA RS256 (kid key-1)',
        fix: 'nothing to do',
        field: 'jwks_uri',
      }),
    ],
    elapsed_ms: 42,
    ...overrides,
  };
}

/** A "Check all directories" answer with one directory in each status. */
export function sampleChecks(): DirectoryCheck[] {
  const base = { input: 'login.example.com', errors: 0, warnings: 0, findings: [], problem: null };
  return [
    { ...base, id: 'dir-ok', name: 'Alpha', status: 'ok' },
    {
      ...base,
      id: 'dir-warn',
      name: 'Bravo',
      status: 'warnings',
      warnings: 1,
      findings: [sampleFinding({ severity: 'warning', code: 'scope_not_advertised' })],
    },
    {
      ...base,
      id: 'dir-err',
      name: 'Charlie',
      status: 'errors',
      errors: 1,
      findings: [sampleFinding()],
    },
    {
      ...base,
      id: 'dir-failed',
      name: 'Delta',
      status: 'failed',
      problem: 'http://127.0.0.1:9/.well-known/openid-configuration: connection refused',
    },
    {
      ...base,
      id: 'dir-skipped',
      name: 'Echo',
      status: 'skipped',
      input: null,
      problem: 'no discovery domain or issuer to start from',
    },
  ];
}
