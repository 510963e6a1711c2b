import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import type { ScimDryRunOptions } from '$lib/bindings/ScimDryRunOptions';
import type { ScimDryRunReport } from '$lib/bindings/ScimDryRunReport';
import type { ScimSampleUser } from '$lib/bindings/ScimSampleUser';
import { sampleFinding } from '../../test/fixtures';
import DryRunPanel from './DryRunPanel.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

const SAMPLES: ScimSampleUser[] = [
  { id: 'okta-user', name: 'Okta user', provider: 'okta', user: { login: 'o' } },
  { id: 'entra-user', name: 'Entra user', provider: 'entra', user: { userPrincipalName: 'e' } },
];

function report(options: ScimDryRunOptions): ScimDryRunReport {
  return {
    base_url: 'http://127.0.0.1:9/scim',
    options,
    test_user_name: 'adele-test',
    steps: [
      {
        name: 'find the user',
        status: 'passed',
        exchange: null,
        findings: [],
        note: null,
        cleanup: false,
      },
      {
        name: 'create the user',
        status: 'failed',
        exchange: null,
        findings: [
          sampleFinding({
            code: 'missing_required',
            message: 'The server requires `region`',
            fix: 'Map region',
            field: null,
          }),
        ],
        note: null,
        cleanup: false,
      },
      {
        name: 'delete the user',
        status: 'skipped',
        exchange: null,
        findings: [],
        note: 'nothing to delete',
        cleanup: true,
      },
    ],
    cleaned_up: false,
    leftovers: ['/Users/42'],
    passed: false,
    cancelled: false,
  };
}

function answerDryRun(): void {
  invokeMock.mockImplementation((command: string, args?: unknown) => {
    if (command === 'run_scim_dry_run') {
      return Promise.resolve(report((args as { options: ScimDryRunOptions }).options));
    }
    return Promise.reject(new Error(`unexpected ${command}`));
  });
}

describe('Dry run', () => {
  beforeEach(() => {
    invokeMock.mockReset();
  });

  it('runs the provider’s sample with the options chosen, then sums up and logs the steps', async () => {
    answerDryRun();
    render(DryRunPanel, {
      connectionId: 'c-1',
      mappingsDirty: false,
      samples: SAMPLES,
      provider: 'entra',
    });
    expect(screen.getByTestId('scim-dry-run-user')).toHaveValue('entra-user');
    await fireEvent.click(screen.getByTestId('scim-dry-run-read-only'));
    await fireEvent.click(screen.getByTestId('run-scim-dry-run'));

    expect(invokeMock).toHaveBeenCalledWith('run_scim_dry_run', {
      id: 'c-1',
      user: { userPrincipalName: 'e' },
      options: { read_only: true, entra_quirks: true, keep_values: false },
    });
    const result = await screen.findByTestId('scim-dry-run-result');
    expect(result).toHaveAttribute('data-passed', 'false');
    expect(result).toHaveTextContent(
      '3 steps: 1 passed, 0 with warnings, 1 failed, 1 skipped. Test user adele-test.',
    );
    // A read-only run created nothing, whatever the leftovers say.
    expect(screen.getByTestId('scim-cleaned-up')).toHaveTextContent('Read-only run');
    const steps = within(screen.getByTestId('scim-log')).getAllByTestId('scim-step');
    expect(steps.map((s) => s.dataset.status)).toEqual(['passed', 'failed', 'skipped']);
    const failed = steps[1] as HTMLElement;
    expect(within(failed).getByTestId('finding-message').querySelector('code')).toHaveTextContent(
      'region',
    );
    expect(screen.getByTestId('run-scim-dry-run')).toHaveTextContent('Run again');
  });

  it('keeps the log’s filter and search when the dry run runs again', async () => {
    answerDryRun();
    render(DryRunPanel, {
      connectionId: 'c-1',
      mappingsDirty: true,
      samples: SAMPLES,
      provider: 'okta',
    });
    expect(screen.getByTestId('scim-dry-run-unsaved')).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('run-scim-dry-run'));
    await screen.findByTestId('scim-log');
    expect(screen.getByTestId('scim-leftovers')).toHaveTextContent('/Users/42');

    await fireEvent.click(screen.getByTestId('scim-log-filter-failed'));
    expect(screen.getAllByTestId('scim-step')).toHaveLength(1);
    await fireEvent.input(screen.getByTestId('scim-log-search'), {
      target: { value: 'nothing-like-this' },
    });
    expect(screen.getByTestId('scim-log-empty')).toBeInTheDocument();

    await fireEvent.click(screen.getByTestId('run-scim-dry-run'));
    await screen.findByTestId('scim-log');
    expect(screen.getByTestId('scim-log-filter-failed')).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('scim-log-search')).toHaveValue('nothing-like-this');
    expect(screen.getByTestId('scim-log-empty')).toBeInTheDocument();
  });
});
