import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import { DIRECTORY_ID, sampleEvaluation } from '../../test/signinFixtures';
import EvaluationPanel from './EvaluationPanel.svelte';

function mappingRow(field: string): HTMLElement {
  const found = screen
    .getAllByTestId('mapping-row')
    .find((element) => element.dataset.field === field);
  if (found === undefined) throw new Error(`no mapping ${field}`);
  return found;
}

describe('EvaluationPanel', () => {
  it('says whether sign-in would succeed, and how each source stands', () => {
    render(EvaluationPanel, { evaluation: sampleEvaluation() });
    const summary = screen.getByTestId('evaluation-summary');
    expect(summary).toHaveAttribute('data-succeeds', 'false');
    expect(summary).toHaveTextContent('sign-in would fail');
    expect(summary).toHaveTextContent('1 of 5 required mappings cannot be resolved (Last name)');
    const sources = screen.getAllByTestId('evaluation-source');
    expect(sources.map((s) => [s.dataset.source, s.dataset.available])).toEqual([
      ['access_token', 'false'],
      ['id_token', 'true'],
      ['userinfo', 'false'],
    ]);
    expect(sources[2]).toHaveTextContent('Userinfo');
    expect(sources[2]).toHaveTextContent('no Userinfo URL');
  });

  it('shows each mapping’s value, or why sign-in would fail with what to map instead', () => {
    render(EvaluationPanel, { evaluation: sampleEvaluation() });
    const rows = screen.getAllByTestId('mapping-row');
    expect(rows.map((r) => r.dataset.field)).toEqual([
      'external_id',
      'username',
      'email',
      'first_name',
      'last_name',
    ]);
    expect(rows.map((r) => r.dataset.ok)).toEqual(['true', 'true', 'true', 'true', 'false']);

    const email = mappingRow('email');
    expect(email).toHaveTextContent('Email');
    expect(email).toHaveTextContent('email in ID Token');
    expect(within(email).getByTestId('mapping-value')).toHaveTextContent('ada@example.org');

    const first = mappingRow('first_name');
    expect(first).toHaveTextContent('the first of 2 values');
    expect(within(first).getByTestId('mapping-warning')).toHaveTextContent(
      'given_name holds a list',
    );

    const last = mappingRow('last_name');
    expect(within(last).queryByTestId('mapping-value')).toBeNull();
    const message = within(last).getByTestId('mapping-message');
    expect(message).toHaveTextContent('The ID token has no surname claim; sign-in would fail');
    // The core's `quoted` names are set in code type, as text.
    expect(message.querySelector('code')).toHaveTextContent('surname');
    expect(within(last).getByTestId('mapping-suggestion')).toHaveTextContent(
      'family_name in ID Token = "Lovelace"',
    );
  });

  it('composes the external ID and warns about a mutable claim', () => {
    render(EvaluationPanel, { evaluation: sampleEvaluation() });
    const card = screen.getByTestId('external-id');
    expect(within(card).getByTestId('external-id-value')).toHaveTextContent(
      `${DIRECTORY_ID};ada@example.org`,
    );
    expect(within(card).getByTestId('external-id-matching')).toHaveTextContent(
      'matches it by primary email',
    );
    const warning = within(card).getByTestId('external-id-warning');
    expect(warning).toHaveTextContent('Mutable claim.');
    expect(warning).toHaveTextContent('map the External ID to oid');
  });

  it('says which claim in which source decided the staff question, with hints', () => {
    render(EvaluationPanel, { evaluation: sampleEvaluation() });
    const staff = screen.getByTestId('staff-decision');
    expect(staff).toHaveAttribute('data-staff', 'true');
    expect(within(staff).getByTestId('staff-verdict')).toHaveTextContent('staff user');
    expect(staff).toHaveTextContent('If claim type matches exactly: roles = "Staff"');
    expect(within(staff).getByTestId('staff-decided-by')).toHaveTextContent(
      'Decided by roles in ID Token = ["Staff","Users"]',
    );
    const checks = within(staff).getAllByTestId('staff-check');
    expect(checks.map((c) => c.dataset.status)).toEqual(['unavailable', 'equal', 'unavailable']);
    expect(checks[0]).toHaveTextContent('Access Token: not checked: the access token is opaque');
    expect(within(staff).getByTestId('staff-hint')).toHaveTextContent('Userinfo was not checked');
  });

  it('shows a successful evaluation without failure messages', () => {
    const base = sampleEvaluation();
    render(EvaluationPanel, {
      evaluation: sampleEvaluation({
        sign_in_succeeds: true,
        summary: 'Sign-in would succeed',
        mappings: base.mappings.slice(0, 4),
        external_id: { ...base.external_id, warning: null },
      }),
    });
    expect(screen.getByTestId('evaluation-summary')).toHaveTextContent('sign-in would succeed');
    expect(screen.queryByTestId('mapping-message')).toBeNull();
    expect(screen.queryByTestId('external-id-warning')).toBeNull();
  });
});
