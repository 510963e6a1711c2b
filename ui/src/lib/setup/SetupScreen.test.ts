import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import type { PresetInfo } from '$lib/bindings/PresetInfo';
import type { Setup } from '$lib/bindings/Setup';
import { router } from '$lib/navigation/router.svelte';
import { sampleFinding, sampleReport } from '../../test/fixtures';
import NewDirectoryScreen from './NewDirectoryScreen.svelte';
import SetupScreen from './SetupScreen.svelte';
import { sampleGuide, sampleSetup } from './setupFixtures';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

const PRESETS: PresetInfo[] = [
  {
    id: 'entra',
    name: 'Microsoft Entra ID',
    params: [
      {
        key: 'tenant',
        label: 'the tenant',
        example: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        optional: false,
      },
    ],
    external_id_claim: 'oid',
    exact_redirect: true,
    quirks: [],
    staff_suggestion: { mode: 'claim_equals', claim: 'roles', value: 'Staff' },
  },
  {
    id: 'generic',
    name: 'Any OpenID Connect provider',
    params: [
      {
        key: 'issuer',
        label: "the provider's issuer",
        example: 'https://login.contoso.com',
        optional: false,
      },
    ],
    external_id_claim: 'sub',
    exact_redirect: false,
    quirks: [],
    staff_suggestion: null,
  },
];

function withState(setup: Setup, states: Record<string, Setup['steps'][number]['state']>): Setup {
  return { ...setup, steps: setup.steps.map((s) => ({ ...s, state: states[s.step] ?? s.state })) };
}

beforeEach(() => {
  invokeMock.mockReset();
  router.navigate({ screen: 'directories' });
});

describe('NewDirectoryScreen', () => {
  it('asks for the provider, names a refused value next to its field, and starts the setup', async () => {
    let attempts = 0;
    invokeMock.mockImplementation((command: string, args?: unknown) => {
      if (command === 'list_presets') return Promise.resolve(PRESETS);
      if (command === 'list_setups') return Promise.resolve([]);
      if (command === 'start_setup') {
        attempts += 1;
        const { preset, values, name } = args as {
          preset: string;
          values: [string, string][];
          name: string;
        };
        expect(preset).toBe('entra');
        expect(name).toBe('Contoso staff');
        if (attempts === 1) {
          expect(values).toEqual([['tenant', 'contoso']]);
          return Promise.reject({
            kind: 'validation',
            message: 'tenant: "contoso" is not a tenant (for example 72f988bf-…)',
            field: 'tenant',
            fields: [
              { field: 'tenant', message: '"contoso" is not a tenant (for example 72f988bf-…)' },
            ],
          });
        }
        return Promise.resolve(sampleSetup({ preset: 'entra' }));
      }
      return Promise.reject(new Error(`unexpected command ${command}`));
    });
    render(NewDirectoryScreen);
    const cards = await screen.findAllByTestId('preset-card');
    expect(cards.map((c) => c.dataset.preset)).toEqual(['entra', 'generic']);
    await fireEvent.click(screen.getByText('Microsoft Entra ID'));
    await fireEvent.input(screen.getByTestId('preset-name'), {
      target: { value: 'Contoso staff' },
    });
    await fireEvent.input(screen.getByTestId('preset-param-tenant'), {
      target: { value: 'contoso' },
    });
    await fireEvent.click(screen.getByTestId('preset-start'));
    expect(await screen.findByText(/is not a tenant/)).toBeTruthy();
    expect(router.route.screen).toBe('directories');

    await fireEvent.input(screen.getByTestId('preset-param-tenant'), {
      target: { value: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
    });
    await fireEvent.click(screen.getByTestId('preset-start'));
    await waitFor(() => {
      expect(router.route).toEqual({ screen: 'setup', id: sampleSetup().id });
    });
  });

  it('offers the blank form and the setups to continue', async () => {
    invokeMock.mockImplementation((command: string) => {
      if (command === 'list_presets') return Promise.resolve(PRESETS);
      if (command === 'list_setups')
        return Promise.resolve([
          {
            id: 's1',
            name: 'Half done',
            provider: 'Okta',
            saved: true,
            next: 'Test sign-in',
            updated_at: '',
          },
          { id: 's2', name: 'Finished', provider: 'Okta', saved: true, next: null, updated_at: '' },
        ]);
      return Promise.reject(new Error(`unexpected command ${command}`));
    });
    render(NewDirectoryScreen);
    const resume = await screen.findAllByTestId('resume-setup');
    expect(resume.map((r) => r.textContent.trim())).toEqual(['Half done']);
    await fireEvent.click(screen.getByText('Half done'));
    expect(router.route).toEqual({ screen: 'setup', id: 's1' });
    router.navigate({ screen: 'new-directory' });
    await fireEvent.click(screen.getByTestId('new-blank-form'));
    expect(router.route).toEqual({ screen: 'editor', id: null });
  });
});

describe('SetupScreen', () => {
  it('shows each step with its state and opens at the first one not done', async () => {
    invokeMock.mockImplementation((command: string) => {
      if (command === 'get_setup') return Promise.resolve(sampleSetup());
      return Promise.reject(new Error(`unexpected command ${command}`));
    });
    render(SetupScreen, { id: sampleSetup().id });
    const steps = await screen.findAllByTestId('setup-step');
    expect(steps.map((s) => [s.dataset.step, s.dataset.state])).toEqual([
      ['values', 'done'],
      ['discovery', 'not_yet'],
      ['provider', 'not_yet'],
      ['credentials', 'not_yet'],
      ['save', 'not_yet'],
      ['test_sign_in', 'not_yet'],
      ['evaluation', 'not_yet'],
      ['routing', 'not_yet'],
    ]);
    expect(screen.getByTestId('setup-panel').dataset.step).toBe('discovery');
    expect(screen.queryByTestId('setup-complete')).toBeNull();
  });

  it('runs discovery, confirms its endpoints only without errors, then shows the guide with a copy button per value', async () => {
    let discovered = 0;
    invokeMock.mockImplementation((command: string) => {
      switch (command) {
        case 'get_setup':
          return Promise.resolve(sampleSetup());
        case 'run_setup_discovery':
          discovered += 1;
          return Promise.resolve(
            discovered === 1
              ? sampleReport({
                  findings: [sampleFinding({ severity: 'error', message: 'the issuer differs' })],
                })
              : sampleReport({ findings: [] }),
          );
        case 'confirm_setup_discovery':
          return Promise.resolve(withState(sampleSetup(), { discovery: 'done' }));
        case 'setup_guide':
          return Promise.resolve(sampleGuide());
        default:
          return Promise.reject(new Error(`unexpected command ${command}`));
      }
    });
    render(SetupScreen, { id: sampleSetup().id });
    await fireEvent.click(await screen.findByTestId('setup-discover'));
    await screen.findByTestId('setup-prefill');
    expect(screen.queryByTestId('setup-confirm-discovery')).toBeNull();
    expect(screen.getByText(/Fix the errors above/)).toBeTruthy();

    const again = screen.getByTestId('setup-discover');
    await waitFor(() => {
      expect((again as HTMLButtonElement).disabled).toBe(false);
    });
    await fireEvent.click(again);
    const confirm = await screen.findByTestId('setup-confirm-discovery');
    await waitFor(() => {
      expect((confirm as HTMLButtonElement).disabled).toBe(false);
    });
    await fireEvent.click(confirm);
    await screen.findByTestId('guide');
    expect(screen.getByTestId('setup-panel').dataset.step).toBe('provider');
    const values = screen.getAllByTestId('guide-value').map((v) => v.textContent);
    expect(values).toEqual([
      'https://signin.example.com/callback/0192d7a4-0000-7000-8000-000000000001',
      'http://127.0.0.1:47613/callback',
    ]);
    expect(screen.getAllByTestId('guide-copy')).toHaveLength(2);
    expect(screen.getByTestId('guide-missing').textContent).toContain('hosted_domain: not given');
    expect(
      (await screen.findAllByTestId('setup-step')).find((s) => s.dataset.step === 'discovery')
        ?.dataset.state,
    ).toBe('done');
  });

  it('asks for the sign-in service URL when the redirect URL needs it', async () => {
    let url: string | null = null;
    invokeMock.mockImplementation((command: string, args?: unknown) => {
      switch (command) {
        case 'get_setup':
          return Promise.resolve(
            withState(sampleSetup({ redirect_url: url === null ? null : `${url}/callback/x` }), {
              discovery: 'done',
            }),
          );
        case 'setup_guide':
          return Promise.resolve(sampleGuide());
        case 'update_settings':
          url = (args as { signInServiceUrl: string }).signInServiceUrl;
          return Promise.resolve({
            sign_in_service_url: url,
            data_dir: '',
            database_path: '',
            secret_store: '',
          });
        default:
          return Promise.reject(new Error(`unexpected command ${command}`));
      }
    });
    render(SetupScreen, { id: sampleSetup().id });
    await fireEvent.input(await screen.findByTestId('setup-service-url'), {
      target: { value: 'https://signin.example.com' },
    });
    await fireEvent.click(screen.getByTestId('setup-save-service-url'));
    await waitFor(() => {
      expect(screen.queryByTestId('setup-service-url')).toBeNull();
    });
    expect(url).toBe('https://signin.example.com');
  });

  it('puts a refused client ID next to its field', async () => {
    invokeMock.mockImplementation((command: string) => {
      switch (command) {
        case 'get_setup':
          return Promise.resolve(withState(sampleSetup(), { discovery: 'done', provider: 'done' }));
        case 'save_setup_directory':
          return Promise.reject({
            kind: 'validation',
            message: 'client_id: enter the client ID',
            field: 'client_id',
            fields: [{ field: 'client_id', message: 'enter the client ID' }],
          });
        default:
          return Promise.reject(new Error(`unexpected command ${command}`));
      }
    });
    render(SetupScreen, { id: sampleSetup().id });
    await fireEvent.input(await screen.findByTestId('setup-client-secret'), {
      target: { value: 's' },
    });
    await fireEvent.click(screen.getByTestId('setup-save'));
    expect(await screen.findByText('enter the client ID')).toBeTruthy();
  });
});
