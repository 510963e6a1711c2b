import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import type { DiagnosticsReport } from '$lib/bindings/DiagnosticsReport';
import type { SignInResult } from '$lib/bindings/SignInResult';
import { sampleDocument, sampleReport } from '../../test/fixtures';
import {
  failedSignInResult,
  sampleEvaluation,
  sampleSignInResult,
  staffRoute,
} from '../../test/signinFixtures';
import ReportScreen from './ReportScreen.svelte';
import { reportTitle, signInFinishedAt } from './reportView';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

const directory = sampleDocument({ name: 'Contoso staff' });
const discovery = sampleReport();

/** A sign-in as a report keeps it: only what was decoded from the tokens, no token. */
function reportedSignIn(): SignInResult {
  const signIn = sampleSignInResult();
  return {
    ...signIn,
    id_token: { ...signIn.id_token, raw: null },
    access_token: { ...signIn.access_token, raw: null },
    userinfo: { ...signIn.userinfo, raw: null },
  };
}

function report(overrides: Partial<DiagnosticsReport> = {}): DiagnosticsReport {
  return {
    format: 'sso-console/report',
    version: 1,
    created_at: '2026-11-30T09:15:00Z',
    app_version: '0.1.0',
    platform: 'linux x86_64',
    redaction: {
      always_removed: ['the client secret'],
      personal_data: true,
      identifiers: false,
      placeholders: 3,
    },
    directory,
    discovery,
    discovery_error: null,
    sign_in: reportedSignIn(),
    evaluation: sampleEvaluation(),
    routing: staffRoute(),
    scim: null,
    ...overrides,
  };
}

describe('a report opened from a file', () => {
  beforeEach(() => {
    // Showing a report asks the core for nothing.
    invokeMock.mockReset();
    invokeMock.mockRejectedValue(new Error('no command may run'));
  });

  it('shows the directory, the findings, the checks, the claims by source and the evaluation', () => {
    const signIn = reportedSignIn();
    render(ReportScreen, { report: report({ sign_in: signIn }) });

    expect(screen.getByTestId('report-title')).toHaveTextContent('Contoso staff');
    expect(screen.getByTestId('report-redaction')).toHaveTextContent(
      'secrets and personal data (3 values replaced by placeholders',
    );
    expect(screen.getByTestId('report-directory')).toHaveTextContent(directory.client_id);
    const discoveryPart = screen.getByTestId('report-discovery');
    for (const finding of discovery.findings) {
      expect(discoveryPart).toHaveTextContent(finding.message);
    }
    const signInPart = screen.getByTestId('report-sign-in');
    expect(within(signInPart).getByTestId('signin-verdict')).toHaveTextContent('Signed in');
    for (const check of signIn.checks) {
      expect(signInPart).toHaveTextContent(check.detail);
    }
    for (const name of Object.keys(signIn.id_token.claims ?? {})) {
      expect(signInPart).toHaveTextContent(name);
    }
    expect(within(signInPart).getByTestId('trace')).toBeInTheDocument();
    expect(within(signInPart).getByTestId('copy-result')).toHaveAttribute(
      'title',
      'Copy the whole result as JSON (it holds no token)',
    );
    expect(screen.getByTestId('report-evaluation')).toBeInTheDocument();
    expect(screen.getByTestId('report-routing')).toBeInTheDocument();
    expect(invokeMock).not.toHaveBeenCalled();
  });

  it('names the failing step of a failed sign-in, and says when discovery could not run', () => {
    render(ReportScreen, {
      report: report({
        sign_in: failedSignInResult(),
        evaluation: null,
        routing: null,
        discovery: null,
        discovery_error: 'the provider did not answer within 15 s',
      }),
    });
    expect(screen.getByTestId('signin-verdict')).toHaveTextContent('Failed');
    expect(screen.getByTestId('report-discovery-error')).toHaveTextContent(
      'the provider did not answer within 15 s',
    );
    expect(screen.queryByTestId('report-evaluation')).toBeNull();
  });

  it('says so when a report holds no sign-in', () => {
    render(ReportScreen, { report: report({ sign_in: null, evaluation: null, routing: null }) });
    expect(screen.getByTestId('report-no-sign-in')).toBeInTheDocument();
  });
});

describe("a SCIM connection's report", () => {
  beforeEach(() => {
    invokeMock.mockReset();
    invokeMock.mockRejectedValue(new Error('no command may run'));
  });

  it('shows the connection, its Test Connection verdicts and the dry run log, offering no action', () => {
    render(ReportScreen, {
      report: report({
        directory: null,
        discovery: null,
        sign_in: null,
        evaluation: null,
        routing: null,
        scim: {
          connection: {
            id: 'c-1',
            name: 'Contoso SCIM',
            tenant_url: 'http://127.0.0.1:9/scim',
            directory_id: null,
            notes: '',
            mappings: {
              format: 'sso-console/scim-mappings',
              version: 1,
              name: 'Entra default',
              provider: 'entra',
              mappings: [],
            },
          },
          test_connection: {
            base_url: 'http://127.0.0.1:9/scim',
            token_sent: true,
            checks: [],
            suggested_base_url: 'http://127.0.0.1:9/scim/v2',
            verdicts: [{ provider: 'okta', passed: false, summary: 'the filter query fails' }],
            passed: false,
          },
          review: null,
          dry_run: {
            base_url: 'http://127.0.0.1:9/scim',
            options: { read_only: false, entra_quirks: true, keep_values: false },
            test_user_name: '[email-1]',
            steps: [
              {
                name: 'create the user',
                status: 'failed',
                exchange: null,
                findings: [],
                note: 'the server answered 500',
                cleanup: false,
              },
            ],
            cleaned_up: true,
            leftovers: [],
            passed: false,
            cancelled: false,
          },
        },
      }),
    });
    expect(screen.getByTestId('report-title')).toHaveTextContent('Contoso SCIM');
    expect(screen.getByTestId('report-scim')).toHaveTextContent('http://127.0.0.1:9/scim');
    expect(screen.getByTestId('report-scim-test')).toHaveTextContent('the filter query fails');
    // A report is read, not acted on: no button to change the connection.
    expect(screen.getByTestId('scim-suggested-url')).toBeInTheDocument();
    expect(screen.queryByText('Use this URL')).toBeNull();
    expect(screen.getByTestId('report-scim-dry-run')).toHaveTextContent('create the user');
    expect(screen.queryByTestId('report-scim-review')).toBeNull();
    expect(screen.queryByTestId('report-no-sign-in')).toBeNull();
    expect(invokeMock).not.toHaveBeenCalled();
  });
});

describe('report helpers', () => {
  it('name a report after its directory or its SCIM connection', () => {
    expect(reportTitle(report())).toBe('Contoso staff');
    expect(reportTitle(report({ directory: null }))).toBe('');
  });

  it('date a sign-in by where its last step ended', () => {
    const result = sampleSignInResult();
    const started = Date.parse(result.trace.started_at);
    const last = Math.max(...result.trace.steps.map((s) => s.started_ms + s.duration_ms));
    expect(signInFinishedAt(result)).toBe(started + last);
  });
});
