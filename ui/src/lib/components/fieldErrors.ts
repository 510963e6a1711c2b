import type { FieldError } from '$lib/bindings/FieldError';

/** Messages by the name of the field they are shown at. */
export type PlacedErrors = ReadonlyMap<string, readonly string[]>;

/**
 * The shown field where a message about `field` goes. The core may name a field more precisely
 * than a form shows it (e.g. "domain_suffixes[2]") or name a whole object ("staff"): such names
 * fall back to the closest shown field, or to an alias. `field` itself when nothing fits.
 */
export function placeOfField(
  field: string,
  shownFields: ReadonlySet<string>,
  aliases: Readonly<Record<string, string>> = {},
): string {
  let candidate = field;
  for (;;) {
    if (shownFields.has(candidate)) return candidate;
    const alias = aliases[candidate];
    if (alias !== undefined && shownFields.has(alias)) return alias;
    const cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
    if (cut <= 0) return field;
    candidate = candidate.slice(0, cut);
  }
}

/** Messages grouped by the field they are shown at (see `placeOfField`), in arrival order. */
export function groupFieldErrors(
  errors: readonly FieldError[],
  shownFields: ReadonlySet<string>,
  aliases: Readonly<Record<string, string>> = {},
): PlacedErrors {
  const grouped = new Map<string, string[]>();
  for (const { field, message } of errors) {
    const target = placeOfField(field, shownFields, aliases);
    const list = grouped.get(target);
    if (list === undefined) grouped.set(target, [message]);
    else list.push(message);
  }
  return grouped;
}

/** `placed` with `message` added at `field`, after the messages already there. */
export function withMessage(placed: PlacedErrors, field: string, message: string): PlacedErrors {
  const added = new Map(placed);
  added.set(field, [...(placed.get(field) ?? []), message]);
  return added;
}
