/** A piece of a message: plain text, or a name the core quoted in backticks. */
export interface TextPart {
  text: string;
  code: boolean;
}

/**
 * Splits a message of the core ("`email` in the ID token") into text and the `quoted` names,
 * so those can be set in code type — as text, never as markup. With an unpaired backtick the
 * whole message stays text.
 */
export function splitCode(message: string): TextPart[] {
  const pieces = message.split('`');
  if (pieces.length % 2 === 0) return [{ text: message, code: false }];
  return pieces
    .map((text, i) => ({ text, code: i % 2 === 1 }))
    .filter((part) => part.code || part.text !== '');
}
