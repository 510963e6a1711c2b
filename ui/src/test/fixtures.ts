import type { DirectoryDetail } from '$lib/bindings/DirectoryDetail';
import type { DirectoryDocument } from '$lib/bindings/DirectoryDocument';
import type { DirectorySummary } from '$lib/bindings/DirectorySummary';

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
    revision: 1,
  }));
}
