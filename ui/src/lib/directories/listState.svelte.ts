/**
 * What the directory list remembers while another screen is open: the search text, the
 * selected directory and the "Needs attention" filter, so coming back from the editor lands
 * where the person left.
 */
export const listState = $state({
  query: '',
  selectedId: null as string | null,
  /** "Needs attention" ticked: only the directories that do are shown. */
  attentionOnly: false,
});
