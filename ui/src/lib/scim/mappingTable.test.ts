import { describe, expect, it } from 'vitest';
import type { ScimAttributeMapping } from '$lib/bindings/ScimAttributeMapping';
import {
  addRow,
  blankMapping,
  errorsByRow,
  moveRow,
  parseDefault,
  parsePrecedence,
  removeRow,
  sourceText,
  withType,
} from './mappingTable';

function mapping(target: string, attribute = 'mail'): ScimAttributeMapping {
  return { ...blankMapping(), target, source: { type: 'direct', attribute } };
}

describe('mapping table', () => {
  it('adds a blank Direct row at the end', () => {
    const rows = addRow([mapping('userName')]);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual({
      target: '',
      source: { type: 'direct', attribute: '' },
      default_value: null,
      match_precedence: null,
      apply: 'always',
    });
  });

  it('removes exactly the row asked for', () => {
    const rows = removeRow([mapping('a'), mapping('b'), mapping('c')], 1);
    expect(rows.map((r) => r.target)).toEqual(['a', 'c']);
  });

  it('moves a row up and down but not past the ends', () => {
    const rows = [mapping('a'), mapping('b'), mapping('c')];
    expect(moveRow(rows, 2, -1).map((r) => r.target)).toEqual(['a', 'c', 'b']);
    expect(moveRow(rows, 0, 1).map((r) => r.target)).toEqual(['b', 'a', 'c']);
    expect(moveRow(rows, 0, -1).map((r) => r.target)).toEqual(['a', 'b', 'c']);
    expect(moveRow(rows, 2, 1).map((r) => r.target)).toEqual(['a', 'b', 'c']);
  });

  it('changing the mapping type keeps what was typed', () => {
    const direct = { ...mapping('userName', 'userPrincipalName'), default_value: 'x' };
    const expression = withType(direct, 'expression');
    expect(expression.source).toEqual({ type: 'expression', expression: 'userPrincipalName' });
    expect(expression.default_value).toBe('x');
    expect(sourceText(expression.source)).toBe('userPrincipalName');
  });

  it('a Constant drops the default value, which it cannot have', () => {
    const constant = withType({ ...mapping('region'), default_value: 'EMEA' }, 'constant');
    expect(constant.source).toEqual({ type: 'constant', value: 'mail' });
    expect(constant.default_value).toBeNull();
  });

  it.each([
    ['', null],
    ['  ', null],
    ['1', 1],
    ['3', 3],
    ['0', null],
    ['-2', null],
    ['1.5', null],
    ['x', null],
  ])('precedence %j reads as %j', (text, expected) => {
    expect(parsePrecedence(text)).toBe(expected);
  });

  it('an empty default means none', () => {
    expect(parseDefault('')).toBeNull();
    expect(parseDefault('Standard')).toBe('Standard');
  });

  it('puts the core messages on their row and the rest on the document', () => {
    const byRow = errorsByRow([
      { field: 'mappings[2].source.expression', message: 'bad expression' },
      { field: 'mappings.mappings[0].target', message: 'unknown target' },
      { field: 'mappings[2].target', message: 'twice' },
      { field: 'mappings', message: 'no matching mapping' },
    ]);
    expect(byRow.get(2)).toEqual(['bad expression', 'twice']);
    expect(byRow.get(0)).toEqual(['unknown target']);
    expect(byRow.get(-1)).toEqual(['no matching mapping']);
  });
});
