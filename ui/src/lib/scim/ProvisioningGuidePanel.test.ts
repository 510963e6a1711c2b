import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import type { ScimConnectionDocument } from '$lib/bindings/ScimConnectionDocument';
import { sampleGuide } from '$lib/setup/setupFixtures';
import ProvisioningGuidePanel from './ProvisioningGuidePanel.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

const DOCUMENT: ScimConnectionDocument = {
  id: null,
  name: 'Learning platform',
  tenant_url: 'https://scim.example.com/scim/v2',
  directory_id: null,
  notes: '',
  mappings: {
    format: 'sso-console/scim-mappings',
    version: 1,
    name: 'Okta',
    provider: 'okta',
    mappings: [],
  },
};

beforeEach(() => {
  invokeMock.mockReset();
});

describe('ProvisioningGuidePanel', () => {
  it('asks for the guide of the connection on screen only once shown, and lays it out', async () => {
    invokeMock.mockResolvedValue(sampleGuide());
    const { rerender } = render(ProvisioningGuidePanel, { document: DOCUMENT, visible: false });
    expect(invokeMock).not.toHaveBeenCalled();
    await rerender({ document: DOCUMENT, visible: true });
    await screen.findByTestId('guide');
    expect(invokeMock).toHaveBeenCalledWith('scim_provisioning_guide', { document: DOCUMENT });
    expect(screen.getAllByTestId('guide-copy')).toHaveLength(2);
    expect(screen.getByTestId('scim-guide-copy-markdown')).toBeTruthy();
  });

  it('says why the guide could not be had', async () => {
    invokeMock.mockRejectedValue({
      kind: 'storage',
      message: 'it went wrong',
      field: null,
      fields: [],
    });
    render(ProvisioningGuidePanel, { document: DOCUMENT, visible: true });
    await waitFor(() => {
      expect(screen.getByTestId('scim-guide-failure').textContent).toContain('it went wrong');
    });
  });
});
