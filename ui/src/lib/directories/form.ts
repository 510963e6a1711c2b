import type { ClaimMapping } from '$lib/bindings/ClaimMapping';
import type { ClaimMappings } from '$lib/bindings/ClaimMappings';
import type { DirectoryDocument } from '$lib/bindings/DirectoryDocument';
import type { FieldError } from '$lib/bindings/FieldError';
import type { StaffRule } from '$lib/bindings/StaffRule';
import { joinDomainSuffixes, splitDomainSuffixes } from './domainSuffixes';

export type StaffMode = StaffRule['mode'];

/**
 * What the editor's inputs bind to: the document with every optional text as a plain string
 * (inputs cannot hold null), the staff rule spread out so switching modes keeps what was typed,
 * and the domain suffixes and test port as the text the person typed.
 */
export interface DirectoryForm {
  name: string;
  logo_png_base64: string;
  discovery_domain: string;
  authorization_url: string;
  token_url: string;
  userinfo_url: string;
  issuer: string;
  jwks_uri: string;
  scopes: string;
  client_id: string;
  client_secret_expires_on: string;
  pkce: boolean;
  response_mode_form_post: boolean;
  token_endpoint_basic_auth: boolean;
  new_contact_member_type: string;
  new_contact_status: string;
  claims: ClaimMappings;
  staff_mode: StaffMode;
  staff_claim: string;
  staff_value: string;
  is_hidden: boolean;
  domain_suffixes: string;
  test_redirect_port: string;
}

/**
 * A plain copy of the claim mappings. Not structuredClone: the form is Svelte state, a Proxy,
 * which structuredClone refuses.
 */
function copyClaims(claims: ClaimMappings): ClaimMappings {
  const copy = (m: ClaimMapping): ClaimMapping => ({ claim: m.claim, source: m.source });
  return {
    external_id: copy(claims.external_id),
    username: copy(claims.username),
    email: copy(claims.email),
    first_name: copy(claims.first_name),
    last_name: copy(claims.last_name),
  };
}

export function formFromDocument(document: DirectoryDocument): DirectoryForm {
  const staff = document.staff;
  return {
    name: document.name,
    logo_png_base64: document.logo_png_base64,
    discovery_domain: document.discovery_domain ?? '',
    authorization_url: document.authorization_url,
    token_url: document.token_url,
    userinfo_url: document.userinfo_url ?? '',
    issuer: document.issuer ?? '',
    jwks_uri: document.jwks_uri ?? '',
    scopes: document.scopes,
    client_id: document.client_id,
    client_secret_expires_on: document.client_secret_expires_on ?? '',
    pkce: document.pkce,
    response_mode_form_post: document.response_mode_form_post,
    token_endpoint_basic_auth: document.token_endpoint_basic_auth,
    new_contact_member_type: document.new_contact_member_type,
    new_contact_status: document.new_contact_status,
    claims: copyClaims(document.claims),
    staff_mode: staff.mode,
    staff_claim: staff.mode === 'claim_exists' || staff.mode === 'claim_equals' ? staff.claim : '',
    staff_value: staff.mode === 'claim_equals' ? staff.value : '',
    is_hidden: document.is_hidden,
    domain_suffixes: joinDomainSuffixes(document.domain_suffixes),
    test_redirect_port:
      document.test_redirect_port === null ? '' : String(document.test_redirect_port),
  };
}

function optional(text: string): string | null {
  return text.trim() === '' ? null : text;
}

function staffRule(form: DirectoryForm): StaffRule {
  switch (form.staff_mode) {
    case 'none':
    case 'always':
      return { mode: form.staff_mode };
    case 'claim_exists':
      return { mode: 'claim_exists', claim: form.staff_claim };
    case 'claim_equals':
      return { mode: 'claim_equals', claim: form.staff_claim, value: form.staff_value };
  }
}

export type DocumentResult =
  { ok: true; document: DirectoryDocument } | { ok: false; errors: FieldError[] };

/**
 * The document to save. Everything is judged by the core except what cannot even be sent: a
 * test port that is not a whole number has no JSON number to become.
 */
export function documentFromForm(form: DirectoryForm, id: string | null): DocumentResult {
  const portText = form.test_redirect_port.trim();
  let port: number | null = null;
  if (portText !== '') {
    if (!/^\d{1,5}$/.test(portText)) {
      return {
        ok: false,
        errors: [
          {
            field: 'test_redirect_port',
            message: `"${portText}" is not a port number; enter 1–65535 or leave it empty for a random port.`,
          },
        ],
      };
    }
    port = Number(portText);
  }
  return {
    ok: true,
    document: {
      id,
      name: form.name,
      logo_png_base64: form.logo_png_base64,
      discovery_domain: optional(form.discovery_domain),
      authorization_url: form.authorization_url,
      token_url: form.token_url,
      userinfo_url: optional(form.userinfo_url),
      issuer: optional(form.issuer),
      jwks_uri: optional(form.jwks_uri),
      scopes: form.scopes,
      client_id: form.client_id,
      client_secret_expires_on: optional(form.client_secret_expires_on),
      pkce: form.pkce,
      response_mode_form_post: form.response_mode_form_post,
      token_endpoint_basic_auth: form.token_endpoint_basic_auth,
      new_contact_member_type: form.new_contact_member_type,
      new_contact_status: form.new_contact_status,
      claims: copyClaims(form.claims),
      staff: staffRule(form),
      is_hidden: form.is_hidden,
      domain_suffixes: splitDomainSuffixes(form.domain_suffixes),
      test_redirect_port: port,
    },
  };
}
