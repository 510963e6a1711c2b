import type { ScimExpressionError } from '$lib/bindings/ScimExpressionError';

/** An expression cut around the character an error points at, for showing it marked. */
export interface MarkedExpression {
  before: string;
  /** The character at the position; a space when the error is past the end. */
  at: string;
  after: string;
  /** The 1-based column, as the core counts it. */
  column: number;
}

/**
 * Cuts `expression` at the error's 1-based character position (characters, not UTF-16 units,
 * so an emoji counts once). A position past the end marks the place after the last character.
 */
export function markExpression(expression: string, error: ScimExpressionError): MarkedExpression {
  const chars = Array.from(expression);
  const index = Math.min(Math.max(error.position, 1), chars.length + 1) - 1;
  return {
    before: chars.slice(0, index).join(''),
    at: chars[index] ?? ' ',
    after: chars.slice(index + 1).join(''),
    column: index + 1,
  };
}
