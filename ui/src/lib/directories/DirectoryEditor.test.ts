import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import type { CommandError } from '$lib/bindings/CommandError';
import { router } from '$lib/navigation/router.svelte';
import { sampleDetail, sampleDocument } from '../../test/fixtures';
import DirectoryEditor from './DirectoryEditor.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);
const ID = '531b5f5e-2a2a-4b73-b109-3f17f7f34e36';

/** Answers get_directory with a saved directory and update_directory with `updateAnswer`. */
function coreAnswering(updateAnswer: () => Promise<unknown>) {
  invokeMock.mockImplementation((command: string) => {
    switch (command) {
      case 'get_directory':
        return Promise.resolve(sampleDetail());
      case 'update_directory':
        return updateAnswer();
      case 'new_directory_template':
        return Promise.resolve(sampleDocument({ id: null, name: '', domain_suffixes: [] }));
      default:
        return Promise.reject(new Error(`unexpected command ${command}`));
    }
  });
}

function validation(fields: { field: string; message: string }[]): CommandError {
  return {
    kind: 'validation',
    message: fields[0]?.message ?? '',
    field: fields[0]?.field ?? null,
    fields,
  };
}

async function openAndSave(): Promise<void> {
  render(DirectoryEditor, { id: ID });
  await screen.findByTestId('field-name');
  await fireEvent.click(screen.getByTestId('save-dir'));
}

describe('DirectoryEditor field errors', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    router.stay();
  });

  it('puts each core message next to the field it names and describes the input by it', async () => {
    coreAnswering(() =>
      Promise.reject(
        validation([
          { field: 'name', message: 'name must not be empty' },
          { field: 'token_url', message: 'token URL must use https://' },
          { field: 'claims.email.claim', message: 'email claim name is required' },
        ]),
      ),
    );
    await openAndSave();

    const nameError = await screen.findByTestId('error-name');
    expect(nameError).toHaveTextContent('name must not be empty');
    const nameInput = screen.getByTestId('field-name');
    expect(nameInput).toHaveAttribute('aria-invalid', 'true');
    expect(nameInput.getAttribute('aria-describedby')?.split(' ')).toContain(nameError.id);
    // The message sits in the same field wrapper as its input, not somewhere else on the page.
    expect(nameError.closest('.field')).toBe(nameInput.closest('.field'));

    const tokenError = screen.getByTestId('error-token_url');
    expect(tokenError).toHaveTextContent('token URL must use https://');
    expect(tokenError.closest('.field')).toBe(
      screen.getByTestId('field-token_url').closest('.field'),
    );

    const claimError = screen.getByTestId('error-claims.email.claim');
    const claimInput = screen.getByTestId('field-claims.email.claim');
    expect(claimError).toHaveTextContent('email claim name is required');
    expect(claimError.closest('.mapping')).toBe(claimInput.closest('.mapping'));
    expect(claimInput).toHaveAttribute('aria-invalid', 'true');
    // Other claim rows stay clean.
    expect(screen.queryByTestId('error-claims.username.claim')).toBeNull();
    expect(screen.getByTestId('field-claims.username.claim')).toHaveAttribute(
      'aria-invalid',
      'false',
    );

    const summary = screen.getByTestId('error-summary');
    expect(summary).toHaveTextContent('3 fields need attention');
    expect(within(summary).getByRole('button', { name: 'Name' })).toBeInTheDocument();
    expect(summary).toHaveTextContent('Email claim name: email claim name is required');
  });

  it('places a message about a staff claim at the staff claim input', async () => {
    invokeMock.mockImplementation((command: string) => {
      if (command === 'get_directory') {
        return Promise.resolve(
          sampleDetail({
            document: sampleDocument({ staff: { mode: 'claim_equals', claim: '', value: '' } }),
          }),
        );
      }
      return Promise.reject(
        validation([
          { field: 'staff.claim', message: 'staff claim name is required' },
          { field: 'staff.value', message: 'staff claim value is required' },
        ]),
      );
    });
    await openAndSave();

    const claimError = await screen.findByTestId('error-staff.claim');
    expect(claimError.closest('.field')).toBe(
      screen.getByTestId('field-staff.claim').closest('.field'),
    );
    const valueError = screen.getByTestId('error-staff.value');
    expect(valueError.closest('.field')).toBe(
      screen.getByTestId('field-staff.value').closest('.field'),
    );
  });

  it('places an indexed domain suffix message at the domain suffix list', async () => {
    coreAnswering(() =>
      Promise.reject(
        validation([{ field: 'domain_suffixes[1]', message: '"exa mple.org" is not a domain' }]),
      ),
    );
    await openAndSave();

    const error = await screen.findByTestId('error-domain_suffixes');
    expect(error).toHaveTextContent('"exa mple.org" is not a domain');
    expect(screen.getByTestId('field-domain_suffixes')).toHaveAttribute('aria-invalid', 'true');
  });

  it('shows a name conflict at the name, not as a reload banner', async () => {
    coreAnswering(() =>
      Promise.reject({
        kind: 'conflict',
        message: 'a directory named "Contoso staff (Entra)" already exists',
        field: 'name',
        fields: [],
      }),
    );
    await openAndSave();

    expect(await screen.findByTestId('error-name')).toHaveTextContent('already exists');
    expect(screen.queryByTestId('conflict-banner')).toBeNull();
  });

  it('offers a reload when someone else saved the directory meanwhile', async () => {
    coreAnswering(() =>
      Promise.reject({ kind: 'conflict', message: 'revision 3 is stale', field: null, fields: [] }),
    );
    await openAndSave();

    expect(await screen.findByTestId('conflict-banner')).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('reload-dir'));
    await vi.waitFor(() => {
      expect(screen.queryByTestId('conflict-banner')).toBeNull();
    });
    expect(invokeMock.mock.calls.filter(([command]) => command === 'get_directory')).toHaveLength(
      2,
    );
  });

  it('reports a port that is not a number without asking the core', async () => {
    coreAnswering(() => Promise.resolve(sampleDetail()));
    render(DirectoryEditor, { id: ID });
    const port = await screen.findByTestId('field-test_redirect_port');
    await fireEvent.input(port, { target: { value: '80a' } });
    await fireEvent.click(screen.getByTestId('save-dir'));

    expect(await screen.findByTestId('error-test_redirect_port')).toHaveTextContent('"80a"');
    expect(invokeMock).not.toHaveBeenCalledWith('update_directory', expect.anything());
  });

  it('saves with the revision it loaded and keeps the stored secret', async () => {
    coreAnswering(() => Promise.resolve(sampleDetail({ revision: 4 })));
    render(DirectoryEditor, { id: ID });
    const suffixes = await screen.findByTestId('field-domain_suffixes');
    await fireEvent.input(suffixes, { target: { value: 'contoso.com, fabrikam.com,' } });
    await fireEvent.click(screen.getByTestId('save-dir'));

    await vi.waitFor(() => {
      expect(invokeMock).toHaveBeenCalledWith('update_directory', {
        id: ID,
        expectedRevision: 3,
        document: sampleDocument({ domain_suffixes: ['contoso.com', 'fabrikam.com'] }),
        clientSecret: null,
      });
    });
    expect(await screen.findByTestId('editor-state')).toHaveTextContent('Saved');
  });

  it('shows the core’s advice at its field and advice without a field above the form', async () => {
    invokeMock.mockImplementation(() =>
      Promise.resolve(
        sampleDetail({
          warnings: [
            {
              field: 'claims.external_id.claim',
              message: '“email” can change; use “oid” (Entra) or “sub”',
            },
            { field: 'pkce', message: 'the provider does not advertise S256' },
          ],
        }),
      ),
    );
    render(DirectoryEditor, { id: ID });

    const advice = await screen.findByTestId('warning-claims.external_id');
    expect(advice).toHaveTextContent('use “oid” (Entra) or “sub”');
    expect(advice.closest('.mapping')).toBe(
      screen.getByTestId('field-claims.external_id.claim').closest('.mapping'),
    );
    expect(screen.getByTestId('editor-warnings')).toHaveTextContent(
      'Enable PKCE: the provider does not advertise S256',
    );
    expect(screen.getByTestId('editor-warnings')).not.toHaveTextContent('oid');
    // Advice does not block saving and is not an error.
    expect(screen.queryByTestId('error-summary')).toBeNull();
  });

  it('shows why check_logo refused a chosen file and keeps the previous logo', async () => {
    invokeMock.mockImplementation((command: string) => {
      if (command === 'get_directory') {
        return Promise.resolve(
          sampleDetail({ document: sampleDocument({ logo_png_base64: 'c3RvcmVk' }) }),
        );
      }
      if (command === 'check_logo') {
        return Promise.reject({
          kind: 'invalid_logo',
          message: 'logo is 300×36 px; it must be exactly 245×36 px',
          field: 'logo_png_base64',
          fields: [],
        });
      }
      return Promise.reject(new Error(`unexpected command ${command}`));
    });
    render(DirectoryEditor, { id: ID });
    const input = await screen.findByTestId('logo-input');
    const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'wide.png', {
      type: 'image/png',
    });
    await fireEvent.change(input, { target: { files: [file] } });

    const reason = await screen.findByTestId('error-logo_png_base64');
    expect(reason).toHaveTextContent('“wide.png” was not accepted: logo is 300×36 px');
    expect(invokeMock).toHaveBeenCalledWith('check_logo', { pngBase64: 'iVBORw==' });
    expect(within(screen.getByTestId('logo-preview')).getByRole('img')).toHaveAttribute(
      'src',
      'data:image/png;base64,c3RvcmVk',
    );
    expect(screen.getByTestId('editor-state')).not.toHaveTextContent('Unsaved changes');
  });

  it('takes a logo check_logo accepts and says its size', async () => {
    invokeMock.mockImplementation((command: string) => {
      if (command === 'get_directory') return Promise.resolve(sampleDetail());
      if (command === 'check_logo') return Promise.resolve({ width: 245, height: 36, bytes: 4 });
      return Promise.reject(new Error(`unexpected command ${command}`));
    });
    render(DirectoryEditor, { id: ID });
    const input = await screen.findByTestId('logo-input');
    const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'logo.png');
    await fireEvent.change(input, { target: { files: [file] } });

    await vi.waitFor(() => {
      expect(screen.getByTestId('logo-preview').querySelector('img')).toHaveAttribute(
        'src',
        'data:image/png;base64,iVBORw==',
      );
    });
    expect(screen.getByText(/Accepted: 245×36 px, 4 bytes/)).toBeInTheDocument();
    expect(screen.getByTestId('editor-state')).toHaveTextContent('Unsaved changes');
  });
});

describe('DirectoryEditor expiry date', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    router.stay();
  });

  it('judges a date typed but not saved by asking the core', async () => {
    invokeMock.mockImplementation((command: string, args?: unknown) => {
      switch (command) {
        case 'get_directory':
          return Promise.resolve(sampleDetail());
        case 'secret_expiry':
          return Promise.resolve(
            (args as { date: string }).date === '2026-12-03'
              ? { state: 'soon', days_left: 1 }
              : { state: 'not_set' },
          );
        default:
          return Promise.reject(new Error(`unexpected command ${command}`));
      }
    });
    render(DirectoryEditor, { id: ID });
    const field = await screen.findByTestId('field-client_secret_expires_on');
    await fireEvent.input(field, { target: { value: '2026-12-03' } });
    expect(await screen.findByTestId('badge-expiry')).toHaveTextContent('expires in 1 day');
    expect(invokeMock).toHaveBeenCalledWith('secret_expiry', { date: '2026-12-03' });
  });
});
