import { Channel } from '@tauri-apps/api/core';
import type { AppInfo } from '$lib/bindings/AppInfo';
import type { CheckProgress } from '$lib/bindings/CheckProgress';
import type { DirectoryCheck } from '$lib/bindings/DirectoryCheck';
import type { DirectoryDetail } from '$lib/bindings/DirectoryDetail';
import type { DirectoryDocument } from '$lib/bindings/DirectoryDocument';
import type { DirectoryProbe } from '$lib/bindings/DirectoryProbe';
import type { DirectorySummary } from '$lib/bindings/DirectorySummary';
import type { DiscoveryReport } from '$lib/bindings/DiscoveryReport';
import type { LogoInfo } from '$lib/bindings/LogoInfo';
import type { SecretExpiry } from '$lib/bindings/SecretExpiry';
import type { ProviderChange } from '$lib/bindings/ProviderChange';
import type { SecretProbe } from '$lib/bindings/SecretProbe';
import type { Settings } from '$lib/bindings/Settings';
import { call } from './call';

/** Directories whose name, domain suffix or client ID match `query` ("" for all), by name. */
export function listDirectories(query: string): Promise<DirectorySummary[]> {
  return call('list_directories', { query });
}

/**
 * Hands the shell the markup of the list's first frame (the root element's classes and the
 * page's HTML), to show at the next start before the page's scripts run.
 */
export async function keepListSnapshot(rootClass: string, html: string): Promise<void> {
  await call<null>('keep_list_snapshot', { rootClass, html });
}

export function getDirectory(id: string): Promise<DirectoryDetail> {
  return call('get_directory', { id });
}

/** The directory's logo as PNG base64, "" when it has none. */
export function directoryLogo(id: string): Promise<string> {
  return call('directory_logo', { id });
}

/** A document filled with the defaults of a new directory (its id is null). */
export function newDirectoryTemplate(): Promise<DirectoryDocument> {
  return call('new_directory_template');
}

export function createDirectory(
  document: DirectoryDocument,
  clientSecret: string,
): Promise<DirectoryDetail> {
  return call('create_directory', { document, clientSecret });
}

/**
 * Saves `document` over revision `expectedRevision`; the core answers "conflict" when someone
 * saved in between. `clientSecret` null keeps the stored secret.
 */
export function updateDirectory(
  id: string,
  expectedRevision: number,
  document: DirectoryDocument,
  clientSecret: string | null,
): Promise<DirectoryDetail> {
  return call('update_directory', { id, expectedRevision, document, clientSecret });
}

/** A saved copy named "<name> (copy)", without the client secret. */
export function duplicateDirectory(id: string): Promise<DirectoryDetail> {
  return call('duplicate_directory', { id });
}

/** Deletes the directory and its stored secret. */
export async function deleteDirectory(id: string): Promise<void> {
  await call<null>('delete_directory', { id });
}

/** The logo's dimensions and size, or an "invalid_logo" error that says why it is refused. */
export function checkLogo(pngBase64: string): Promise<LogoInfo> {
  return call('check_logo', { pngBase64 });
}

export function getSettings(): Promise<Settings> {
  return call('get_settings');
}

export function updateSettings(signInServiceUrl: string | null): Promise<Settings> {
  return call('update_settings', { signInServiceUrl });
}

/** The version and commit of this build, and where its log file is. */
export function appInfo(): Promise<AppInfo> {
  return call('app_info');
}

/** Opens the folder of the log file in the system's file manager. */
export async function openLogFolder(): Promise<void> {
  await call<null>('open_log_folder');
}

/** Where a secret expiring on `date` (as typed, `YYYY-MM-DD`) stands today, by the core's rule. */
export function secretExpiry(date: string): Promise<SecretExpiry> {
  return call('secret_expiry', { date });
}

/**
 * What the start-up banner names: directories whose client secret expires within the reminder
 * window or has expired, whose secret the last probe saw refused, or whose last check failed.
 */
export function directoriesNeedingAttention(): Promise<DirectorySummary[]> {
  return call('directories_needing_attention');
}

/**
 * Fetches the provider's OpenID configuration from `input` (a domain, an issuer or the
 * well-known URL) and judges it, against `document` (the editor's unsaved directory) when given:
 * the report lists the fields that would change and the findings. Takes up to 15 s; fails with
 * kind "discovery" at field "discovery_domain", saying what was wrong.
 */
export function discover(
  input: string,
  document: DirectoryDocument | null,
): Promise<DiscoveryReport> {
  return call('discover', { input, document });
}

/** Cancels the discovery under way: the core drops its request, and `discover` fails. */
export function cancelDiscovery(): Promise<void> {
  return call('cancel_discovery');
}

/**
 * Runs discovery and the key set check for every stored directory; `onProgress` hears how many
 * providers are done out of how many, as they finish.
 */
export function checkAllDirectories(
  onProgress: (progress: CheckProgress) => void,
): Promise<DirectoryCheck[]> {
  const channel = new Channel<CheckProgress>();
  channel.onmessage = onProgress;
  return call('check_all_directories', { onProgress: channel });
}

/**
 * Asks the provider of a saved directory whether it accepts the stored client secret: one token
 * request with a made-up code, none when no secret is stored. Up to 15 s.
 */
export function probeClientSecret(id: string): Promise<SecretProbe> {
  return call('probe_client_secret', { id });
}

/** The secret probe of every stored directory, a few at a time ("Check all" with secrets). */
export function probeAllSecrets(): Promise<DirectoryProbe[]> {
  return call('probe_all_secrets');
}

/** What the checks saw change at a saved directory's provider, newest first. */
export function providerHistory(id: string): Promise<ProviderChange[]> {
  return call('provider_history', { id });
}

/** Cancels "Check all directories": the core drops every request under way. */
export function cancelCheckAll(): Promise<void> {
  return call('cancel_check_all');
}
