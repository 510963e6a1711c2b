import { beforeEach, describe, expect, it, vi } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import type { ScimConnectionDocument } from '$lib/bindings/ScimConnectionDocument';
import type { ScimMappingDocument } from '$lib/bindings/ScimMappingDocument';
import { ApiError } from './errors';
import {
  cancelScimCheck,
  cancelScimDryRun,
  checkScimExpression,
  checkScimMappings,
  createScimConnection,
  deleteScimConnection,
  exportScimMappings,
  getScimConnection,
  importScimMappings,
  listScimConnections,
  newScimConnectionTemplate,
  previewScimUser,
  reviewScimEndpoint,
  runScimDryRun,
  scimExpressionFunctions,
  scimMappingTemplates,
  scimSampleUsers,
  testScimConnection,
  updateScimConnection,
} from './scim';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

const mappings: ScimMappingDocument = {
  format: 'sso-console/scim-mappings',
  version: 1,
  name: 'Learning platform',
  provider: 'entra',
  mappings: [],
};

const document: ScimConnectionDocument = {
  id: null,
  name: 'Learning platform',
  tenant_url: 'https://lms.example.com/scim/v2',
  directory_id: null,
  notes: '',
  mappings,
};

describe('SCIM commands', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    invokeMock.mockResolvedValue(null);
  });

  it.each([
    ['list_scim_connections', () => listScimConnections(), {}],
    ['get_scim_connection', () => getScimConnection('c-1'), { id: 'c-1' }],
    ['new_scim_connection_template', () => newScimConnectionTemplate(), {}],
    [
      'create_scim_connection',
      () => createScimConnection(document, 't0k'),
      { document, token: 't0k' },
    ],
    [
      'update_scim_connection',
      () => updateScimConnection('c-1', 4, document, null),
      { id: 'c-1', expectedRevision: 4, document, token: null },
    ],
    ['delete_scim_connection', () => deleteScimConnection('c-1'), { id: 'c-1' }],
    ['test_scim_connection', () => testScimConnection('c-1'), { id: 'c-1' }],
    ['review_scim_endpoint', () => reviewScimEndpoint('c-1'), { id: 'c-1' }],
    ['cancel_scim_check', () => cancelScimCheck(), {}],
    ['cancel_scim_dry_run', () => cancelScimDryRun(), {}],
    ['scim_mapping_templates', () => scimMappingTemplates(), {}],
    ['scim_sample_users', () => scimSampleUsers(), {}],
    ['scim_expression_functions', () => scimExpressionFunctions(), {}],
    [
      'check_scim_expression',
      () => checkScimExpression('Split([a], ",")'),
      { expression: 'Split([a], ",")', user: null },
    ],
    ['check_scim_mappings', () => checkScimMappings(mappings), { document: mappings }],
    ['import_scim_mappings', () => importScimMappings('{}'), { json: '{}' }],
    ['export_scim_mappings', () => exportScimMappings(mappings), { document: mappings }],
    [
      'preview_scim_user',
      () => previewScimUser(null, mappings, { mail: 'a@b.c' }, null, { entra_quirks: true }),
      {
        id: null,
        mappings,
        user: { mail: 'a@b.c' },
        changedUser: null,
        options: { entra_quirks: true },
      },
    ],
    [
      'run_scim_dry_run',
      () =>
        runScimDryRun(
          'c-1',
          { mail: 'a@b.c' },
          {
            read_only: false,
            entra_quirks: true,
            keep_values: false,
          },
        ),
      {
        id: 'c-1',
        user: { mail: 'a@b.c' },
        options: { read_only: false, entra_quirks: true, keep_values: false },
      },
    ],
  ])('%s is invoked with camelCase arguments', async (command, run, args) => {
    await run();
    expect(invokeMock).toHaveBeenCalledTimes(1);
    expect(invokeMock).toHaveBeenCalledWith(command, args);
  });

  it('update_scim_connection sends a replacement token when given one', async () => {
    await updateScimConnection('c-1', 2, document, 'new-token');
    expect(invokeMock).toHaveBeenCalledWith('update_scim_connection', {
      id: 'c-1',
      expectedRevision: 2,
      document,
      token: 'new-token',
    });
  });

  it('a stale revision comes back as an ApiError of kind conflict', async () => {
    invokeMock.mockRejectedValue({
      kind: 'conflict',
      message: 'changed meanwhile',
      field: null,
      fields: [],
    });
    const failure = await updateScimConnection('c-1', 1, document, null).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).kind).toBe('conflict');
  });
});
