/**
 * Splits the "Domain Suffix List" text into the pieces sent to the core. Only commas separate
 * domains (seed 000: "example.org, members.example.com"); the core trims, lower-cases, normalises
 * IDNs and validates each piece, so the UI only drops the blanks left by stray or trailing commas.
 */
export function splitDomainSuffixes(text: string): string[] {
  return text
    .split(',')
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '');
}

/** The editable text for a stored list of domain suffixes. */
export function joinDomainSuffixes(suffixes: readonly string[]): string {
  return suffixes.join(', ');
}
