/** Field names of the claim mappings, in the order of seed 000. */
export const CLAIM_KEYS = ['external_id', 'username', 'email', 'first_name', 'last_name'] as const;
export type ClaimKey = (typeof CLAIM_KEYS)[number];

export const CLAIM_LABELS: Record<ClaimKey, string> = {
  external_id: 'External ID',
  username: 'Username',
  email: 'Email',
  first_name: 'First name',
  last_name: 'Last name',
};

/** Labels of the fields the editor shows, by the field names the core uses in its errors. */
const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  logo_png_base64: 'Logo',
  discovery_domain: 'Discovery domain',
  authorization_url: 'Authorization URL',
  token_url: 'Token URL',
  userinfo_url: 'Userinfo URL',
  issuer: 'Issuer',
  jwks_uri: 'JWKS URI',
  scopes: 'Scopes',
  client_id: 'Client ID',
  client_secret: 'Client secret',
  client_secret_expires_on: 'Secret expiry date',
  pkce: 'Enable PKCE',
  response_mode_form_post: 'Response mode form post',
  token_endpoint_basic_auth: 'Token endpoint Basic auth',
  new_contact_member_type: 'New contact member type',
  new_contact_status: 'New contact status',
  claims: 'Claim mappings',
  staff: 'Staff user identification',
  'staff.mode': 'Staff user identification',
  'staff.claim': 'Staff claim name',
  'staff.value': 'Staff claim value',
  is_hidden: 'Is hidden',
  domain_suffixes: 'Domain suffix list',
  test_redirect_port: 'Fixed test redirect port',
};

for (const key of CLAIM_KEYS) {
  FIELD_LABELS[`claims.${key}`] = `${CLAIM_LABELS[key]} mapping`;
  FIELD_LABELS[`claims.${key}.claim`] = `${CLAIM_LABELS[key]} claim name`;
  FIELD_LABELS[`claims.${key}.source`] = `${CLAIM_LABELS[key]} claim source`;
}

/** The label of a field named in a core error; unknown names are shown as they come. */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

/** Whole-object names the core may use, placed at the input that holds the object's choice. */
export const EDITOR_ALIASES: Readonly<Record<string, string>> = { staff: 'staff.mode' };

/** Every field name the editor has a place for, as the core names them. */
export const EDITOR_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'logo_png_base64',
  'discovery_domain',
  'authorization_url',
  'token_url',
  'userinfo_url',
  'issuer',
  'jwks_uri',
  'scopes',
  'client_id',
  'client_secret',
  'client_secret_expires_on',
  'new_contact_member_type',
  'new_contact_status',
  ...CLAIM_KEYS.flatMap((key) => [`claims.${key}`, `claims.${key}.claim`, `claims.${key}.source`]),
  'staff.mode',
  'staff.claim',
  'staff.value',
  'is_hidden',
  'domain_suffixes',
  'test_redirect_port',
]);
