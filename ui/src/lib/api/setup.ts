import type { DiscoveryReport } from '$lib/bindings/DiscoveryReport';
import type { GuideText } from '$lib/bindings/GuideText';
import type { PresetInfo } from '$lib/bindings/PresetInfo';
import type { Setup } from '$lib/bindings/Setup';
import type { SetupStepId } from '$lib/bindings/SetupStepId';
import type { SetupSummary } from '$lib/bindings/SetupSummary';
import { call } from './call';

/** The provider presets, in the order a person meets them. */
export function listPresets(): Promise<PresetInfo[]> {
  return call('list_presets');
}

/**
 * Starts a guided setup for a directory called `name`, with the preset's values as (key, value)
 * pairs. Fails with kind "validation" naming each value refused (field = its key, or "name");
 * nothing is stored then.
 */
export function startSetup(
  preset: string,
  values: [string, string][],
  name: string,
): Promise<Setup> {
  return call('start_setup', { preset, values, name });
}

/** The guided setups, the most recently changed first. */
export function listSetups(): Promise<SetupSummary[]> {
  return call('list_setups');
}

export function getSetup(id: string): Promise<Setup> {
  return call('get_setup', { id });
}

/** Discovery from the setup's values; the endpoints found wait for `confirmSetupDiscovery`. */
export function runSetupDiscovery(id: string): Promise<DiscoveryReport> {
  return call('run_setup_discovery', { id });
}

export function confirmSetupDiscovery(id: string): Promise<Setup> {
  return call('confirm_setup_discovery', { id });
}

/** Records that the administrator did the steps at the provider. */
export function confirmSetupProvider(id: string): Promise<Setup> {
  return call('confirm_setup_provider', { id });
}

/** Records how the flow's claims evaluation or routing check went. */
export function recordSetupStep(
  id: string,
  step: SetupStepId,
  ok: boolean,
  detail: string,
): Promise<Setup> {
  return call('record_setup_step', { id, step, ok, detail });
}

/**
 * Saves the setup's directory with its client ID, secret (to the keyring) and the secret's
 * expiry, `YYYY-MM-DD` or "". Fails with kind "validation" naming each field refused.
 */
export function saveSetupDirectory(
  id: string,
  clientId: string,
  clientSecret: string,
  clientSecretExpiresOn: string,
): Promise<Setup> {
  return call('save_setup_directory', { id, clientId, clientSecret, clientSecretExpiresOn });
}

/** Forgets a setup; a directory it saved stays. */
export async function discardSetup(id: string): Promise<void> {
  await call<null>('discard_setup', { id });
}

/** The setup's provider-side guide, with its Markdown and HTML. */
export function setupGuide(id: string): Promise<GuideText> {
  return call('setup_guide', { id });
}

/** Saves the guide where the person chooses; the path, or null when they cancelled. */
export function saveSetupGuide(id: string, html: boolean): Promise<string | null> {
  return call('save_setup_guide', { id, html });
}
