import type { ScimProvider } from '$lib/bindings/ScimProvider';

/** How a provisioning service is named to a person. */
export const PROVIDER_LABELS: Record<ScimProvider, string> = {
  entra: 'Entra',
  okta: 'Okta',
  generic: 'Generic',
};
