import type { ConflictChoices } from '$lib/bindings/ConflictChoices';
import type { ExportRequest } from '$lib/bindings/ExportRequest';
import type { ExportSummary } from '$lib/bindings/ExportSummary';
import type { ImportPreview } from '$lib/bindings/ImportPreview';
import type { ImportResult } from '$lib/bindings/ImportResult';
import { call } from './call';

/**
 * Exports the directories of `request` (all when it names none), their SCIM connections and
 * the settings where the person chooses in the native dialog: one file, or a folder for Git.
 * With a passphrase the secrets come along, encrypted with it. Answers what was written, or
 * null when the person cancelled.
 */
export function exportBundle(request: ExportRequest): Promise<ExportSummary | null> {
  return call('export_bundle', { request });
}

/**
 * Asks the person for a bundle file (or folder) to import in the native dialog and keeps it
 * for the plan and the apply. Answers where it is, or null when they cancelled; a file that is
 * no bundle fails with the kind "invalid_bundle", saying why.
 */
export function chooseBundle(asFolder: boolean): Promise<string | null> {
  return call('choose_bundle', { asFolder });
}

/**
 * What importing the chosen bundle would change here, item by item; nothing is written. A
 * bundle with secrets fails with the kind "wrong_passphrase" until given the right passphrase.
 */
export function planBundleImport(passphrase: string | null): Promise<ImportPreview> {
  return call('plan_bundle_import', { passphrase });
}

/** Applies the chosen bundle with `choices` for its conflicts: all of it, or nothing. */
export function applyBundleImport(
  passphrase: string | null,
  choices: ConflictChoices,
): Promise<ImportResult> {
  return call('apply_bundle_import', { passphrase, choices });
}
