/**
 * What the directory list remembers while another screen is open: the search text and the
 * selected directory, so coming back from the editor lands where the person left.
 */
export const listState = $state({ query: '', selectedId: null as string | null });
