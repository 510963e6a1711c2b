import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import type { DirectoryDocument } from '$lib/bindings/DirectoryDocument';
import type { DiscoveryReport } from '$lib/bindings/DiscoveryReport';
import { router } from '$lib/navigation/router.svelte';
import { sampleDetail, sampleDocument, sampleReport } from '../../test/fixtures';
import DirectoryEditor from './DirectoryEditor.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);
const ID = '531b5f5e-2a2a-4b73-b109-3f17f7f34e36';

/** Plays the core: a saved directory, and `discover` answering with `answer`. */
function coreAnswering(
  answer: (args: { input: string; document: DirectoryDocument | null }) => Promise<unknown>,
) {
  invokeMock.mockImplementation((command: string, args?: unknown) => {
    if (command === 'get_directory') return Promise.resolve(sampleDetail());
    if (command === 'cancel_discovery') return Promise.resolve(null);
    if (command === 'discover') {
      return answer(args as { input: string; document: DirectoryDocument | null });
    }
    return Promise.reject(new Error(`unexpected command ${command}`));
  });
}

function discoverCalls(): { input: string; document: DirectoryDocument | null }[] {
  return invokeMock.mock.calls
    .filter(([command]) => command === 'discover')
    .map(([, args]) => args as { input: string; document: DirectoryDocument | null });
}

async function openAndDiscover(domain = 'login.example.com'): Promise<void> {
  render(DirectoryEditor, { id: ID });
  const field = await screen.findByTestId('field-discovery_domain');
  await fireEvent.input(field, { target: { value: domain } });
  await fireEvent.click(screen.getByTestId('discover'));
}

const value = (testid: string) => screen.getByTestId<HTMLInputElement>(testid).value;

describe('Discovery in the directory editor', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    router.stay();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('is offered only once a discovery domain is typed', async () => {
    coreAnswering(() => Promise.resolve(sampleReport()));
    render(DirectoryEditor, { id: ID });
    const button = await screen.findByTestId('discover');
    expect(button).toBeDisabled();
    await fireEvent.input(screen.getByTestId('field-discovery_domain'), {
      target: { value: '  ' },
    });
    expect(button).toBeDisabled();
  });

  it('sends the domain and the unsaved form, then shows the findings and the changes', async () => {
    coreAnswering(() => Promise.resolve(sampleReport()));
    render(DirectoryEditor, { id: ID });
    await fireEvent.input(await screen.findByTestId('field-client_id'), {
      target: { value: 'typed-not-saved' },
    });
    await fireEvent.input(screen.getByTestId('field-discovery_domain'), {
      target: { value: ' login.example.com ' },
    });
    await fireEvent.click(screen.getByTestId('discover'));

    const result = await screen.findByTestId('discovery-result');
    expect(discoverCalls()).toEqual([
      {
        input: 'login.example.com',
        document: sampleDocument({
          client_id: 'typed-not-saved',
          discovery_domain: ' login.example.com ',
        }),
      },
    ]);
    expect(within(result).getByTestId('discovery-source')).toHaveTextContent(
      'https://login.example.com/.well-known/openid-configuration · 42 ms',
    );
    expect(
      within(result)
        .getAllByTestId('finding')
        .map((f) => f.dataset.severity),
    ).toEqual(['error', 'warning', 'info']);
    expect(within(result).getByTestId('findings-counts')).toHaveTextContent(
      '1 error, 1 warning, 1 note',
    );
    const rows = within(result).getAllByTestId('change-row');
    expect(rows.map((r) => r.dataset.field)).toEqual([
      'authorization_url',
      'token_url',
      'userinfo_url',
      'issuer',
      'jwks_uri',
    ]);
    const first = rows[0] as HTMLElement;
    expect(within(first).getByTestId('change-old')).toHaveTextContent(
      'https://login.example.com/authorize',
    );
    expect(within(first).getByTestId('change-new')).toHaveTextContent(
      'https://login.example.com/oauth2/authorize',
    );
    expect(within(rows[2] as HTMLElement).getByTestId('change-old')).toHaveTextContent('empty');
    expect(within(result).getByTestId('discovery-key-set')).toHaveTextContent(
      '1 key, 1 for signatures (RSA RS256 kid key-1)',
    );
    // Nothing was written into the form yet.
    expect(value('field-authorization_url')).toBe('https://login.example.com/authorize');
  });

  it('writes the discovered values only after the person confirms, and does not save', async () => {
    coreAnswering(() => Promise.resolve(sampleReport()));
    await openAndDiscover();
    await fireEvent.click(await screen.findByTestId('apply-changes'));

    // Asked first; "Cancel" leaves the form as it was.
    expect(screen.getByTestId('apply-list')).toHaveTextContent(
      'Authorization URL: https://login.example.com/oauth2/authorize',
    );
    await fireEvent.click(screen.getByTestId('cancel-apply'));
    expect(value('field-authorization_url')).toBe('https://login.example.com/authorize');
    expect(value('field-issuer')).toBe('');

    await fireEvent.click(screen.getByTestId('apply-changes'));
    await fireEvent.click(screen.getByTestId('confirm-apply'));

    expect(value('field-authorization_url')).toBe('https://login.example.com/oauth2/authorize');
    expect(value('field-token_url')).toBe('https://login.example.com/oauth2/token');
    expect(value('field-userinfo_url')).toBe('https://login.example.com/oauth2/userinfo');
    expect(value('field-issuer')).toBe('https://login.example.com');
    expect(value('field-jwks_uri')).toBe('https://login.example.com/oauth2/keys');
    expect(screen.getByTestId('editor-state')).toHaveTextContent('Unsaved changes');
    expect(invokeMock).not.toHaveBeenCalledWith('update_directory', expect.anything());

    // The provider is judged again against the form as it now is.
    await vi.waitFor(() => {
      expect(discoverCalls()).toHaveLength(2);
    });
    expect(discoverCalls()[1]?.document).toMatchObject({
      authorization_url: 'https://login.example.com/oauth2/authorize',
      issuer: 'https://login.example.com',
    });
  });

  it('applies only the changes left chosen', async () => {
    coreAnswering(() => Promise.resolve(sampleReport()));
    await openAndDiscover();
    const rows = await screen.findAllByTestId('change-row');
    await fireEvent.click(within(rows[0] as HTMLElement).getByTestId('change-select'));
    await fireEvent.click(within(rows[3] as HTMLElement).getByTestId('change-select'));
    expect(screen.getByTestId('apply-changes')).toHaveTextContent('Apply 3 changes');
    await fireEvent.click(screen.getByTestId('apply-changes'));
    await fireEvent.click(screen.getByTestId('confirm-apply'));

    expect(value('field-authorization_url')).toBe('https://login.example.com/authorize');
    expect(value('field-issuer')).toBe('');
    expect(value('field-token_url')).toBe('https://login.example.com/oauth2/token');
  });

  it('says when the form already matches the provider', async () => {
    coreAnswering(() => Promise.resolve(sampleReport({ changes: [] })));
    await openAndDiscover();
    expect(await screen.findByTestId('discovery-no-changes')).toBeInTheDocument();
    expect(screen.queryByTestId('apply-changes')).toBeNull();
  });

  it('marks the findings as possibly out of date once the form changes', async () => {
    coreAnswering(() => Promise.resolve(sampleReport({ changes: [] })));
    await openAndDiscover();
    await screen.findByTestId('discovery-result');
    expect(screen.queryByTestId('discovery-stale')).toBeNull();
    await fireEvent.click(screen.getByTestId('field-token_endpoint_basic_auth'));
    expect(screen.getByTestId('discovery-stale')).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('discover-again'));
    await vi.waitFor(() => {
      expect(discoverCalls()).toHaveLength(2);
    });
    expect(discoverCalls()[1]?.document?.token_endpoint_basic_auth).toBe(true);
    await vi.waitFor(() => {
      expect(screen.queryByTestId('discovery-stale')).toBeNull();
    });
  });

  it('shows why discovery failed next to the discovery domain', async () => {
    coreAnswering(() =>
      Promise.reject({
        kind: 'discovery',
        message: 'http://127.0.0.1:9/.well-known/openid-configuration could not be reached',
        field: 'discovery_domain',
        fields: [],
      }),
    );
    await openAndDiscover('http://127.0.0.1:9');

    const error = await screen.findByTestId('error-discovery_domain');
    expect(error).toHaveTextContent('could not be reached');
    const input = screen.getByTestId('field-discovery_domain');
    expect(error.closest('.field')).toBe(input.closest('.field'));
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByTestId('discovery-result')).toBeNull();

    // Editing the domain takes the message away: it was about the old one.
    await fireEvent.input(input, { target: { value: 'login.example.com' } });
    expect(screen.queryByTestId('error-discovery_domain')).toBeNull();
    expect(input).toHaveAttribute('aria-invalid', 'false');
  });

  it('shows the elapsed time while waiting, and Cancel stops the request and ignores any late answer', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    let answer: (report: DiscoveryReport) => void = () => {};
    coreAnswering(
      () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    );
    await openAndDiscover();

    const progress = await screen.findByTestId('discover-progress');
    expect(screen.getByTestId('discover')).toBeDisabled();
    vi.advanceTimersByTime(2_300);
    await vi.waitFor(() => {
      expect(within(progress).getByTestId('discover-elapsed')).toHaveTextContent('2.3 s');
    });

    await fireEvent.click(screen.getByTestId('cancel-discover'));
    expect(invokeMock).toHaveBeenCalledWith('cancel_discovery', {});
    expect(screen.queryByTestId('discover-progress')).toBeNull();
    expect(screen.getByTestId('discover-cancelled')).toBeInTheDocument();
    expect(screen.getByTestId('discover')).toBeEnabled();

    answer(sampleReport());
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.queryByTestId('discovery-result')).toBeNull();
  });
});
