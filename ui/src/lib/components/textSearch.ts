/** A run of a line's text, marked when it matches the search. */
export interface Segment {
  text: string;
  match: boolean;
}

/** One line of a searched text. */
export interface SearchedLine {
  /** 1-based line number in the whole text. */
  number: number;
  segments: Segment[];
  /** Whether the search occurs in this line (false for every line when there is no search). */
  matches: boolean;
}

export interface SearchResult {
  lines: SearchedLine[];
  /** How many lines contain the search. */
  matchingLines: number;
  /** How many times the search occurs in all. */
  occurrences: number;
}

/** The occurrences of `needle` (already lower-cased) in `line`, as alternating segments. */
function splitLine(line: string, needle: string): { segments: Segment[]; count: number } {
  if (needle === '') return { segments: [{ text: line, match: false }], count: 0 };
  const haystack = line.toLowerCase();
  const segments: Segment[] = [];
  let count = 0;
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) break;
    if (at > from) segments.push({ text: line.slice(from, at), match: false });
    segments.push({ text: line.slice(at, at + needle.length), match: true });
    count += 1;
    from = at + needle.length;
  }
  if (from < line.length || segments.length === 0) {
    segments.push({ text: line.slice(from), match: false });
  }
  return { segments, count };
}

/**
 * Splits `text` into numbered lines with the case-insensitive occurrences of `query` marked.
 * Plain data: whoever renders it shows the text as text, never as markup.
 */
export function searchLines(text: string, query: string): SearchResult {
  const needle = query.toLowerCase();
  let matchingLines = 0;
  let occurrences = 0;
  const lines = text.split(/\r?\n/).map((line, index) => {
    const { segments, count } = splitLine(line, needle);
    if (count > 0) matchingLines += 1;
    occurrences += count;
    return { number: index + 1, segments, matches: count > 0 };
  });
  return { lines, matchingLines, occurrences };
}
