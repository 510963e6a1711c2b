import type { ProbeVerdict } from '$lib/bindings/ProbeVerdict';

/** How each answer of the secret probe is shown: a badge's words and tone. */
export const PROBE_LABELS: Record<
  ProbeVerdict,
  { text: string; tone: 'success' | 'danger' | 'warning' }
> = {
  accepted: { text: 'Secret accepted', tone: 'success' },
  refused: { text: 'Secret refused', tone: 'danger' },
  unknown: { text: 'Not confirmed', tone: 'warning' },
  no_secret: { text: 'No secret stored', tone: 'warning' },
};
