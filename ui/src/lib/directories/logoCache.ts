import { directoryLogo } from '$lib/api';

/**
 * Logos fetched for list rows, kept so scrolling back does not ask the core again. Bounded by
 * total size rather than count: a logo may be up to 1 MB, and the list may hold 10,000 rows.
 * Keyed by revision so an edited directory shows its new logo.
 */
const MAX_TOTAL_CHARS = 8_000_000;
const cache = new Map<string, string>();
const inFlight = new Map<string, Promise<string>>();
let totalChars = 0;

function remember(key: string, logo: string): void {
  cache.set(key, logo);
  totalChars += logo.length;
  // Map iteration follows insertion order, so the first keys are the least recently used.
  for (const [oldKey, oldLogo] of cache) {
    if (totalChars <= MAX_TOTAL_CHARS || oldKey === key) break;
    cache.delete(oldKey);
    totalChars -= oldLogo.length;
  }
}

/** The logo already in the cache, without fetching. */
export function cachedLogo(id: string, revision: number): string | undefined {
  const key = `${id}@${revision}`;
  const logo = cache.get(key);
  if (logo !== undefined) {
    cache.delete(key);
    cache.set(key, logo);
  }
  return logo;
}

/** The directory's logo as PNG base64 ("" when it has none), fetched once per revision. */
export function loadLogo(id: string, revision: number): Promise<string> {
  const key = `${id}@${revision}`;
  const hit = cachedLogo(id, revision);
  if (hit !== undefined) return Promise.resolve(hit);
  const pending = inFlight.get(key);
  if (pending !== undefined) return pending;
  const request = directoryLogo(id)
    .then((logo) => {
      remember(key, logo);
      return logo;
    })
    .finally(() => inFlight.delete(key));
  inFlight.set(key, request);
  return request;
}
