import type { DiscoveryReport } from '$lib/bindings/DiscoveryReport';
import type { Prefill } from '$lib/bindings/Prefill';
import { fieldLabel } from '$lib/directories/fields';
import type { DirectoryForm } from '$lib/directories/form';

/** The directory fields discovery fills in: the keys of `Prefill`, in the editor's order. */
export const DISCOVERED_FIELDS = [
  'authorization_url',
  'token_url',
  'userinfo_url',
  'issuer',
  'jwks_uri',
] as const satisfies readonly (keyof Prefill & keyof DirectoryForm)[];

export type DiscoveredField = (typeof DISCOVERED_FIELDS)[number];

export function isDiscoveredField(field: string): field is DiscoveredField {
  return (DISCOVERED_FIELDS as readonly string[]).includes(field);
}

/** One field discovery would change, as the editor offers it. */
export interface ProposedChange {
  field: DiscoveredField;
  label: string;
  /** The form's value when discovery ran; "" when it was empty. */
  old: string;
  /** The value Apply writes: the report's prefill for the field. */
  new: string;
}

/**
 * The report's changes the form can take, in the editor's field order. A change for a field
 * discovery does not fill in, or without a discovered value, is left out: nothing is ever
 * written that the person was not shown.
 */
export function proposedChanges(report: DiscoveryReport): ProposedChange[] {
  const proposed: ProposedChange[] = [];
  for (const field of DISCOVERED_FIELDS) {
    const change = report.changes.find((c) => c.field === field);
    const value = report.prefill[field] ?? change?.new ?? null;
    if (change === undefined || value === null) continue;
    proposed.push({ field, label: fieldLabel(field), old: change.old ?? '', new: value });
  }
  return proposed;
}

/** The values Apply writes into the form for the chosen fields. */
export function discoveredValues(
  changes: readonly ProposedChange[],
  chosen: ReadonlySet<string>,
): Partial<Pick<DirectoryForm, DiscoveredField>> {
  const values: Partial<Pick<DirectoryForm, DiscoveredField>> = {};
  for (const change of changes) {
    if (chosen.has(change.field)) values[change.field] = change.new;
  }
  return values;
}

/** Writes the chosen discovered values into `form`; returns the fields that were written. */
export function applyChanges(
  form: DirectoryForm,
  changes: readonly ProposedChange[],
  chosen: ReadonlySet<string>,
): DiscoveredField[] {
  const values = discoveredValues(changes, chosen);
  Object.assign(form, values);
  return DISCOVERED_FIELDS.filter((field) => field in values);
}
