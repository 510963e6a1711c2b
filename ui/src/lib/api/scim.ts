import type { FieldError } from '$lib/bindings/FieldError';
import type { GuideText } from '$lib/bindings/GuideText';
import type { ScimConnectionDetail } from '$lib/bindings/ScimConnectionDetail';
import type { ScimConnectionDocument } from '$lib/bindings/ScimConnectionDocument';
import type { ScimConnectionSummary } from '$lib/bindings/ScimConnectionSummary';
import type { ScimDryRunOptions } from '$lib/bindings/ScimDryRunOptions';
import type { ScimDryRunReport } from '$lib/bindings/ScimDryRunReport';
import type { ScimEndpointReview } from '$lib/bindings/ScimEndpointReview';
import type { ScimExpressionCheck } from '$lib/bindings/ScimExpressionCheck';
import type { ScimFunctionInfo } from '$lib/bindings/ScimFunctionInfo';
import type { ScimMappingDocument } from '$lib/bindings/ScimMappingDocument';
import type { ScimMappingTemplate } from '$lib/bindings/ScimMappingTemplate';
import type { ScimPreview } from '$lib/bindings/ScimPreview';
import type { ScimPreviewOptions } from '$lib/bindings/ScimPreviewOptions';
import type { ScimSampleUser } from '$lib/bindings/ScimSampleUser';
import type { ScimTestConnectionReport } from '$lib/bindings/ScimTestConnectionReport';
import { call } from './call';

/** Every SCIM connection, by name. */
export function listScimConnections(): Promise<ScimConnectionSummary[]> {
  return call('list_scim_connections');
}

export function getScimConnection(id: string): Promise<ScimConnectionDetail> {
  return call('get_scim_connection', { id });
}

/** An empty document for a new connection (its id is null). */
export function newScimConnectionTemplate(): Promise<ScimConnectionDocument> {
  return call('new_scim_connection_template');
}

/** Creates the connection; the bearer token goes to the OS keyring and never comes back. */
export function createScimConnection(
  document: ScimConnectionDocument,
  token: string,
): Promise<ScimConnectionDetail> {
  return call('create_scim_connection', { document, token });
}

/**
 * Saves `document` (mappings included) over revision `expectedRevision`; "conflict" when someone
 * saved in between. `token` null keeps the stored one.
 */
export function updateScimConnection(
  id: string,
  expectedRevision: number,
  document: ScimConnectionDocument,
  token: string | null,
): Promise<ScimConnectionDetail> {
  return call('update_scim_connection', { id, expectedRevision, document, token });
}

/** Deletes the connection and its stored token. */
export async function deleteScimConnection(id: string): Promise<void> {
  await call<null>('delete_scim_connection', { id });
}

/** Sends the requests Entra's and Okta's "Test Connection" send, with the stored token. */
export function testScimConnection(id: string): Promise<ScimTestConnectionReport> {
  return call('test_scim_connection', { id });
}

/** Reads and judges /ServiceProviderConfig, /Schemas and /ResourceTypes. */
export function reviewScimEndpoint(id: string): Promise<ScimEndpointReview> {
  return call('review_scim_endpoint', { id });
}

/**
 * Cancels the Test Connection or review under way: its promise rejects with the kind
 * "cancelled". Neither changes anything on the server.
 */
export async function cancelScimCheck(): Promise<void> {
  await call<null>('cancel_scim_check');
}

export function scimMappingTemplates(): Promise<ScimMappingTemplate[]> {
  return call('scim_mapping_templates');
}

export function scimSampleUsers(): Promise<ScimSampleUser[]> {
  return call('scim_sample_users');
}

export function scimExpressionFunctions(): Promise<ScimFunctionInfo[]> {
  return call('scim_expression_functions');
}

/** Parses `expression` (and evaluates it for `user` when given). */
export function checkScimExpression(
  expression: string,
  user: unknown = null,
): Promise<ScimExpressionCheck> {
  return call('check_scim_expression', { expression, user });
}

/** The document's problems by field (`mappings[3].target`); empty when valid. */
export function checkScimMappings(document: ScimMappingDocument): Promise<FieldError[]> {
  return call('check_scim_mappings', { document });
}

/** Parses and checks a mapping document; problems come as a "validation" error. */
export function importScimMappings(json: string): Promise<ScimMappingDocument> {
  return call('import_scim_mappings', { json });
}

/** The document as pretty JSON, the format of docs/scim-mappings.md. */
export function exportScimMappings(document: ScimMappingDocument): Promise<string> {
  return call('export_scim_mappings', { document });
}

/**
 * The requests the provider would send for `user`. With a connection id the bodies are checked
 * against that endpoint's live /Schemas; with null, against RFC 7643 only.
 */
export function previewScimUser(
  id: string | null,
  mappings: ScimMappingDocument,
  user: unknown,
  changedUser: unknown,
  options: ScimPreviewOptions,
): Promise<ScimPreview> {
  return call('preview_scim_user', { id, mappings, user, changedUser, options });
}

/** Runs the provisioning lifecycle against the endpoint with the stored mappings. */
export function runScimDryRun(
  id: string,
  user: unknown,
  options: ScimDryRunOptions,
): Promise<ScimDryRunReport> {
  return call('run_scim_dry_run', { id, user, options });
}

/**
 * Cancels the dry run under way: it stops after the request being sent, still deletes what it
 * created, and resolves with a report whose `cancelled` is true.
 */
export async function cancelScimDryRun(): Promise<void> {
  await call<null>('cancel_scim_dry_run');
}

/**
 * What the customer's administrator does at Entra or Okta (the mapping set's provider) to
 * provision to the connection on screen, with its tenant URL and mapping set filled in.
 */
export function scimProvisioningGuide(document: ScimConnectionDocument): Promise<GuideText> {
  return call('scim_provisioning_guide', { document });
}
