import type { KeySetOutcome } from '$lib/bindings/KeySetOutcome';

/** The provider's key set in a line: how many keys, how many sign, and each key's kind. */
export function keySetText(outcome: KeySetOutcome): string {
  if (outcome.state === 'not_fetched') return 'not fetched (the document names no jwks_uri)';
  if (outcome.state === 'failed') return `not read: ${outcome.message}`;
  const { keys, signing_keys } = outcome.summary;
  const described = keys
    .map((k) =>
      [k.kty, k.alg ?? k.crv, k.kid === null ? null : `kid ${k.kid}`]
        .filter((part) => part !== null)
        .join(' '),
    )
    .join('; ');
  return `${keys.length === 1 ? '1 key' : `${keys.length} keys`}, ${signing_keys} for signatures${described === '' ? '' : ` (${described})`}`;
}
