/** A source user pasted as JSON: empty text is no user; text that is not JSON says why. */
export function parseUserJson(text: string): { user: unknown; error: string | null } {
  if (text.trim() === '') return { user: null, error: null };
  try {
    return { user: JSON.parse(text) as unknown, error: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { user: null, error: `Not JSON: ${reason}` };
  }
}
