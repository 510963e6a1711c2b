import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import type { CommandError } from '$lib/bindings/CommandError';
import type { ScimConnectionDocument } from '$lib/bindings/ScimConnectionDocument';
import { router } from '$lib/navigation/router.svelte';
import ScimEditor from './ScimEditor.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

const TEMPLATE: ScimConnectionDocument = {
  id: null,
  name: '',
  tenant_url: '',
  directory_id: null,
  notes: '',
  mappings: { format: 'scim-mappings', version: 1, name: '', provider: 'entra', mappings: [] },
};

/** Answers a new connection's loading, and its creation with `createAnswer`. */
function coreAnswering(createAnswer: () => Promise<unknown>) {
  invokeMock.mockImplementation((command: string) => {
    switch (command) {
      case 'new_scim_connection_template':
        return Promise.resolve(structuredClone(TEMPLATE));
      case 'create_scim_connection':
        return createAnswer();
      case 'list_directories':
      case 'scim_sample_users':
      case 'scim_mapping_templates':
      case 'scim_expression_functions':
      case 'check_scim_mappings':
        return Promise.resolve([]);
      default:
        return Promise.reject(new Error(`unexpected command ${command}`));
    }
  });
}

async function openNewAndName(name: string): Promise<void> {
  render(ScimEditor, { id: null });
  const input = await screen.findByTestId('scim-field-name');
  await fireEvent.input(input, { target: { value: name } });
}

describe('ScimEditor', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    router.stay();
  });

  it('lists the fields a save was refused for, focused, on the connection tab', async () => {
    const refused: CommandError = {
      kind: 'validation',
      message: 'the tenant URL must use https://',
      field: 'tenant_url',
      fields: [{ field: 'tenant_url', message: 'the tenant URL must use https://' }],
    };
    coreAnswering(() => Promise.reject(refused));
    await openNewAndName('Contoso');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('New SCIM connection');
    expect(screen.getByTestId('scim-editor-state')).toHaveTextContent('Unsaved changes');
    expect(screen.getByTestId('cancel-scim')).toHaveTextContent('Cancel');
    expect(screen.queryByTestId('delete-scim')).toBeNull();

    await fireEvent.click(screen.getByTestId('scim-tab-review'));
    await fireEvent.click(screen.getByTestId('save-scim'));

    const summary = await screen.findByTestId('scim-error-summary');
    expect(summary).toHaveTextContent(
      'The SCIM connection was not saved: 1 field needs attention.',
    );
    expect(summary).toHaveTextContent('the tenant URL must use https://');
    expect(summary).toHaveFocus();
    expect(screen.getByTestId('scim-tab-connection')).toHaveAttribute('aria-selected', 'true');
  });

  it('shows a save failure not tied to a field until it is dismissed', async () => {
    coreAnswering(() =>
      Promise.reject({ kind: 'storage', message: 'disk full', field: null, fields: [] }),
    );
    await openNewAndName('Contoso');
    await fireEvent.click(screen.getByTestId('save-scim'));
    expect(await screen.findByTestId('scim-save-error')).toHaveTextContent('Not saved: disk full');
    await fireEvent.click(screen.getByTestId('dismiss-scim-save-error'));
    expect(screen.queryByTestId('scim-save-error')).toBeNull();
  });

  it('moves between the tabs with the arrow keys, round the ends', async () => {
    coreAnswering(() => Promise.reject(new Error('not saved in this test')));
    render(ScimEditor, { id: null });
    const first = await screen.findByTestId('scim-tab-connection');
    expect(screen.getByTestId('scim-tab-mappings')).toHaveTextContent(/^Attribute mappings\s*0$/);

    await fireEvent.keyDown(first, { key: 'ArrowLeft' });
    const last = screen.getByTestId('scim-tab-guide');
    expect(last).toHaveAttribute('aria-selected', 'true');
    expect(last).toHaveFocus();
    expect(document.getElementById('scim-panel-guide')).not.toHaveAttribute('hidden');
    expect(document.getElementById('scim-panel-connection')).toHaveAttribute('hidden');

    await fireEvent.keyDown(last, { key: 'ArrowRight' });
    expect(first).toHaveAttribute('aria-selected', 'true');
    expect(first).toHaveFocus();
  });
});
