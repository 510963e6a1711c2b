import type { FieldError } from '$lib/bindings/FieldError';
import type { ScimAttributeMapping } from '$lib/bindings/ScimAttributeMapping';
import type { ScimMappingDocument } from '$lib/bindings/ScimMappingDocument';
import type { ScimMappingSource } from '$lib/bindings/ScimMappingSource';

/** The three ways a target's value is computed, as Entra names them. */
export type MappingType = ScimMappingSource['type'];

export const MAPPING_TYPES: readonly { value: MappingType; label: string }[] = [
  { value: 'direct', label: 'Direct' },
  { value: 'constant', label: 'Constant' },
  { value: 'expression', label: 'Expression' },
];

/** An empty mapping document of the format docs/scim-mappings.md describes. */
export function emptyMappingDocument(): ScimMappingDocument {
  return {
    format: 'sso-console/scim-mappings',
    version: 1,
    name: '',
    provider: 'entra',
    mappings: [],
  };
}

/** A new row: a Direct mapping with nothing filled in yet. */
export function blankMapping(): ScimAttributeMapping {
  return {
    target: '',
    source: { type: 'direct', attribute: '' },
    default_value: null,
    match_precedence: null,
    apply: 'always',
  };
}

/** The text a source holds, whatever its type (attribute, constant value or expression). */
export function sourceText(source: ScimMappingSource): string {
  switch (source.type) {
    case 'direct':
      return source.attribute;
    case 'constant':
      return source.value;
    case 'expression':
      return source.expression;
  }
}

/** The source of `type` holding `text`: changing the type keeps what was typed. */
export function sourceOf(type: MappingType, text: string): ScimMappingSource {
  switch (type) {
    case 'direct':
      return { type, attribute: text };
    case 'constant':
      return { type, value: text };
    case 'expression':
      return { type, expression: text };
  }
}

/** `mapping` with its type changed; a Constant cannot have a default value. */
export function withType(mapping: ScimAttributeMapping, type: MappingType): ScimAttributeMapping {
  return {
    ...mapping,
    source: sourceOf(type, sourceText(mapping.source)),
    default_value: type === 'constant' ? null : mapping.default_value,
  };
}

/** `mappings` with a blank row added at the end. */
export function addRow(mappings: readonly ScimAttributeMapping[]): ScimAttributeMapping[] {
  return [...mappings, blankMapping()];
}

/** `mappings` without row `index`. */
export function removeRow(
  mappings: readonly ScimAttributeMapping[],
  index: number,
): ScimAttributeMapping[] {
  return mappings.filter((_, i) => i !== index);
}

/** `mappings` with row `index` moved one place up (-1) or down (+1); unchanged at the ends. */
export function moveRow(
  mappings: readonly ScimAttributeMapping[],
  index: number,
  by: -1 | 1,
): ScimAttributeMapping[] {
  const to = index + by;
  if (index < 0 || index >= mappings.length || to < 0 || to >= mappings.length)
    return [...mappings];
  const moved = [...mappings];
  const [row] = moved.splice(index, 1);
  if (row !== undefined) moved.splice(to, 0, row);
  return moved;
}

/** Text typed in the precedence box: empty means "not matching", else a positive integer. */
export function parsePrecedence(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isInteger(value) && value > 0 ? value : null;
}

/** Text typed in the default box: empty means none. */
export function parseDefault(text: string): string | null {
  return text === '' ? null : text;
}

/**
 * The core's messages about the document grouped by row (`mappings[2].source.expression` goes to
 * row 2); messages about the document as a whole are under -1.
 */
export function errorsByRow(errors: readonly FieldError[]): Map<number, string[]> {
  const byRow = new Map<number, string[]>();
  for (const { field, message } of errors) {
    const match = /^(?:mappings\.)?mappings\[(\d+)\]/.exec(field);
    const row = match?.[1] === undefined ? -1 : Number(match[1]);
    const list = byRow.get(row);
    if (list === undefined) byRow.set(row, [message]);
    else list.push(message);
  }
  return byRow;
}
