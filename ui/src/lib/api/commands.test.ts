import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Channel, invoke } from '@tauri-apps/api/core';
import type { CheckProgress } from '$lib/bindings/CheckProgress';
import { sampleDetail, sampleDocument, sampleReport } from '../../test/fixtures';
import {
  appInfo,
  checkAllDirectories,
  checkLogo,
  createDirectory,
  deleteDirectory,
  directoryLogo,
  discover,
  duplicateDirectory,
  getDirectory,
  getSettings,
  keepListSnapshot,
  listDirectories,
  newDirectoryTemplate,
  openLogFolder,
  probeAllSecrets,
  probeClientSecret,
  providerHistory,
  secretExpiry,
  directoriesNeedingAttention,
  updateDirectory,
  updateSettings,
} from './commands';
import { ApiError, isCommandError, toApiError } from './errors';

vi.mock('@tauri-apps/api/core', async () => ({
  invoke: vi.fn(),
  Channel: (await import('../../test/channel')).FakeChannel,
}));

const invokeMock = vi.mocked(invoke);

describe('commands', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    invokeMock.mockResolvedValue(null);
  });

  it.each([
    ['list_directories', () => listDirectories('contoso'), { query: 'contoso' }],
    ['get_directory', () => getDirectory('id-1'), { id: 'id-1' }],
    [
      'keep_list_snapshot',
      () => keepListSnapshot('generic-font', '<div class="app"></div>'),
      { rootClass: 'generic-font', html: '<div class="app"></div>' },
    ],
    ['directory_logo', () => directoryLogo('id-1'), { id: 'id-1' }],
    ['new_directory_template', () => newDirectoryTemplate(), {}],
    ['duplicate_directory', () => duplicateDirectory('id-1'), { id: 'id-1' }],
    ['delete_directory', () => deleteDirectory('id-1'), { id: 'id-1' }],
    ['check_logo', () => checkLogo('iVBORw0KGgo='), { pngBase64: 'iVBORw0KGgo=' }],
    ['get_settings', () => getSettings(), {}],
    [
      'update_settings',
      () => updateSettings('https://sso.example.com'),
      { signInServiceUrl: 'https://sso.example.com' },
    ],
    ['update_settings', () => updateSettings(null), { signInServiceUrl: null }],
    ['directories_needing_attention', () => directoriesNeedingAttention(), {}],
    ['secret_expiry', () => secretExpiry('2027-03-31'), { date: '2027-03-31' }],
    ['app_info', () => appInfo(), {}],
    ['open_log_folder', () => openLogFolder(), {}],
    ['probe_client_secret', () => probeClientSecret('id-1'), { id: 'id-1' }],
    ['provider_history', () => providerHistory('id-1'), { id: 'id-1' }],
    ['probe_all_secrets', () => probeAllSecrets(), {}],
  ])('%s is invoked with camelCase arguments', async (command, run, args) => {
    await run();
    expect(invokeMock).toHaveBeenCalledTimes(1);
    expect(invokeMock).toHaveBeenCalledWith(command, args);
  });

  it('create_directory sends the document and the secret as clientSecret', async () => {
    const document = sampleDocument({ id: null });
    await createDirectory(document, 's3cret');
    expect(invokeMock).toHaveBeenCalledWith('create_directory', {
      document,
      clientSecret: 's3cret',
    });
  });

  it('update_directory sends expectedRevision and a null clientSecret to keep the secret', async () => {
    const document = sampleDocument();
    await updateDirectory('id-1', 7, document, null);
    expect(invokeMock).toHaveBeenCalledWith('update_directory', {
      id: 'id-1',
      expectedRevision: 7,
      document,
      clientSecret: null,
    });
  });

  it('discover sends the input and the editor’s unsaved document', async () => {
    const document = sampleDocument({ id: null, issuer: 'https://old.example.com' });
    const report = sampleReport();
    invokeMock.mockResolvedValueOnce(report);
    await expect(discover('login.example.com', document)).resolves.toEqual(report);
    expect(invokeMock).toHaveBeenCalledWith('discover', { input: 'login.example.com', document });
  });

  it('discover sends a null document when there is no directory to compare with', async () => {
    await discover('https://login.example.com', null);
    expect(invokeMock).toHaveBeenCalledWith('discover', {
      input: 'https://login.example.com',
      document: null,
    });
  });

  it('a failed discovery is thrown with the field it concerns', async () => {
    invokeMock.mockRejectedValueOnce({
      kind: 'discovery',
      message: 'http://127.0.0.1:9/.well-known/openid-configuration: connection refused',
      field: 'discovery_domain',
      fields: [],
    });
    await expect(discover('http://127.0.0.1:9', null)).rejects.toMatchObject({
      kind: 'discovery',
      field: 'discovery_domain',
      fields: [
        { field: 'discovery_domain', message: expect.stringContaining('refused') as unknown },
      ],
    });
  });

  it('check_all_directories passes a Channel as onProgress and forwards its messages', async () => {
    const heard: CheckProgress[] = [];
    invokeMock.mockImplementationOnce((_command, args) => {
      const channel = (args as { onProgress: Channel<CheckProgress> }).onProgress;
      channel.onmessage({ done: 1, total: 2 });
      channel.onmessage({ done: 2, total: 2 });
      return Promise.resolve([]);
    });
    await expect(checkAllDirectories((p) => heard.push(p))).resolves.toEqual([]);
    expect(invokeMock).toHaveBeenCalledWith('check_all_directories', {
      onProgress: expect.any(Channel) as unknown,
    });
    expect(heard).toEqual([
      { done: 1, total: 2 },
      { done: 2, total: 2 },
    ]);
  });

  it('returns what the core answered', async () => {
    const detail = sampleDetail();
    invokeMock.mockResolvedValueOnce(detail);
    await expect(getDirectory('id-1')).resolves.toEqual(detail);
  });

  it('delete_directory resolves to undefined on the core’s null', async () => {
    await expect(deleteDirectory('id-1')).resolves.toBeUndefined();
  });

  it('open_log_folder resolves to undefined on the core’s null', async () => {
    await expect(openLogFolder()).resolves.toBeUndefined();
  });

  it('a CommandError from the core is thrown as an ApiError with the same content', async () => {
    const coreError = {
      kind: 'validation',
      message: 'name is required',
      field: 'name',
      fields: [
        { field: 'name', message: 'name is required' },
        { field: 'claims.email.claim', message: 'claim name is required' },
      ],
    };
    invokeMock.mockRejectedValueOnce(coreError);
    const error: unknown = await getDirectory('id-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject(coreError);
  });

  it('a string rejection (Tauri’s own errors) becomes kind "internal" with that text', async () => {
    invokeMock.mockRejectedValueOnce('command get_directory not found');
    await expect(getDirectory('id-1')).rejects.toMatchObject({
      kind: 'internal',
      message: 'command get_directory not found',
      field: null,
      fields: [],
    });
  });

  it('a thrown Error becomes kind "internal" and keeps it as the cause', async () => {
    const original = new TypeError('window.__TAURI_INTERNALS__ is undefined');
    invokeMock.mockRejectedValueOnce(original);
    const error = (await listDirectories('').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.kind).toBe('internal');
    expect(error.message).toBe('window.__TAURI_INTERNALS__ is undefined');
    expect(error.cause).toBe(original);
  });

  it('an object that only looks like an error becomes kind "internal"', async () => {
    invokeMock.mockRejectedValueOnce({ kind: 'validation', message: 'x' });
    await expect(getSettings()).rejects.toMatchObject({ kind: 'internal', fields: [] });
  });

  it('an error of a kind the core never sends becomes kind "internal"', async () => {
    invokeMock.mockRejectedValueOnce({ kind: 'oops', message: 'x', field: null, fields: [] });
    const error = await getSettings().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'internal' });
    expect((error as Error).message).toContain('oops');
  });
});

describe('toApiError', () => {
  it('fills fields from field when the core named only one field', () => {
    const error = toApiError({
      kind: 'conflict',
      message: 'a directory named "A" already exists',
      field: 'name',
      fields: [],
    });
    expect(error.fields).toEqual([
      { field: 'name', message: 'a directory named "A" already exists' },
    ]);
  });

  it('keeps an ApiError as it is', () => {
    const error = new ApiError({ kind: 'storage', message: 'disk full', field: null, fields: [] });
    expect(toApiError(error)).toBe(error);
  });

  it('describes undefined without crashing', () => {
    expect(toApiError(undefined)).toMatchObject({ kind: 'internal', message: 'undefined' });
  });
});

describe('isCommandError', () => {
  it.each([
    [{ kind: 'validation', message: 'm', field: null, fields: [] }, true],
    [
      {
        kind: 'validation',
        message: 'm',
        field: 'name',
        fields: [{ field: 'name', message: 'm' }],
      },
      true,
    ],
    [{ kind: 'x', message: 'm', field: null, fields: [] }, false],
    [{ kind: 'validation', message: 'm', field: null }, false],
    [{ kind: 'validation', message: 'm', field: null, fields: [{ field: 1 }] }, false],
    ['x', false],
    [null, false],
  ])('%j → %s', (value, expected) => {
    expect(isCommandError(value)).toBe(expected);
  });
});
