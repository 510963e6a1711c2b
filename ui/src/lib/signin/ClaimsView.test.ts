import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { ISSUED_AT, sampleSignInResult } from '../../test/signinFixtures';
import { localTime } from './claimFormat';
import ClaimsView from './ClaimsView.svelte';

const NOW = new Date((ISSUED_AT + 1) * 1000);

function group(source: string): HTMLElement {
  const found = screen
    .getAllByTestId('claims-group')
    .find((element) => element.dataset.source === source);
  if (found === undefined) throw new Error(`no group ${source}`);
  return found;
}

function row(scope: HTMLElement, claim: string): HTMLElement {
  const found = within(scope)
    .getAllByTestId('claim-row')
    .find((element) => element.dataset.claim === claim);
  if (found === undefined) throw new Error(`no claim ${claim}`);
  return found;
}

describe('ClaimsView', () => {
  const writeText = vi.fn<(text: string) => Promise<void>>();

  beforeEach(() => {
    writeText.mockReset();
    writeText.mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  });

  it('groups the claims under Access Token, ID Token and Userinfo with their status', () => {
    render(ClaimsView, { result: sampleSignInResult(), now: NOW });

    const groups = screen.getAllByTestId('claims-group');
    expect(groups.map((g) => g.dataset.source)).toEqual(['access_token', 'id_token', 'userinfo']);
    expect(groups.map((g) => within(g).getByRole('heading').textContent)).toEqual([
      'Access Token',
      'ID Token',
      'Userinfo',
    ]);
    expect(groups.map((g) => within(g).getByTestId('claims-status').textContent)).toEqual([
      'opaque',
      'verified',
      'received',
    ]);
    // The opaque access token says why it has no claims.
    expect(within(group('access_token')).getByTestId('claims-status-detail')).toHaveTextContent(
      'not a JWT (opaque)',
    );
    expect(within(group('access_token')).queryByTestId('claim-row')).toBeNull();
    expect(within(group('userinfo')).getAllByTestId('claim-row')).toHaveLength(3);
  });

  it('shows each claim with a readable value and the JWT header', () => {
    render(ClaimsView, { result: sampleSignInResult(), now: NOW });
    const idToken = group('id_token');

    expect(within(row(idToken, 'email')).getByTestId('claim-value')).toHaveTextContent(
      'ada@example.org',
    );
    expect(within(row(idToken, 'email_verified')).getByTestId('claim-value')).toHaveTextContent(
      'true',
    );
    const groups = within(row(idToken, 'groups')).getAllByRole('listitem');
    expect(groups.map((item) => item.textContent)).toEqual(['staff', 'engineering']);
    expect(within(row(idToken, 'address')).getByTestId('claim-value').textContent).toContain(
      '"locality": "London"',
    );
    const header = within(idToken).getByTestId('claims-header');
    const pairs = [...header.querySelectorAll('dt')].map((dt) => [
      dt.textContent,
      dt.nextElementSibling?.textContent,
    ]);
    expect(pairs).toEqual([
      ['alg', 'RS256'],
      ['kid', 'keystore-CHANGE-ME'],
    ]);
  });

  it('shows time claims in local time and relative to now', () => {
    render(ClaimsView, { result: sampleSignInResult(), now: NOW });
    const idToken = group('id_token');

    const exp = within(row(idToken, 'exp')).getByTestId('claim-time');
    expect(exp).toHaveTextContent(localTime(new Date((ISSUED_AT + 3600) * 1000)));
    expect(exp).toHaveTextContent('(in 59 min)');
    expect(exp).toHaveTextContent(String(ISSUED_AT + 3600));
    expect(within(row(idToken, 'iat')).getByTestId('claim-time')).toHaveTextContent('(1 s ago)');
    expect(within(row(idToken, 'sub')).queryByTestId('claim-time')).toBeNull();
  });

  it('shows provider data as text, never as markup', () => {
    const base = sampleSignInResult();
    const evil = '<img src=x onerror="alert(1)">';
    render(ClaimsView, {
      result: sampleSignInResult({
        userinfo: { ...base.userinfo, claims: { name: evil, [evil]: 'key' } },
      }),
      now: NOW,
    });
    const userinfo = group('userinfo');
    expect(within(row(userinfo, 'name')).getByTestId('claim-value')).toHaveTextContent(evil);
    expect(within(row(userinfo, evil)).getByTestId('claim-name')).toHaveTextContent(evil);
    expect(userinfo.querySelector('img')).toBeNull();
  });

  it('shows the raw token only on request', async () => {
    render(ClaimsView, { result: sampleSignInResult(), now: NOW });
    const idToken = group('id_token');
    expect(within(idToken).queryByTestId('raw-token')).toBeNull();
    const toggle = within(idToken).getByTestId('raw-toggle');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');

    await fireEvent.click(toggle);
    expect(within(idToken).getByTestId('raw-token')).toHaveTextContent(
      'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2ln',
    );
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await fireEvent.click(toggle);
    expect(within(idToken).queryByTestId('raw-token')).toBeNull();
  });

  it('copies one claim, or a whole group as JSON', async () => {
    const result = sampleSignInResult();
    render(ClaimsView, { result, now: NOW });
    const idToken = group('id_token');

    await fireEvent.click(within(row(idToken, 'email')).getByTestId('copy-claim'));
    expect(writeText).toHaveBeenLastCalledWith('ada@example.org');
    await fireEvent.click(within(row(idToken, 'groups')).getByTestId('copy-claim'));
    expect(writeText).toHaveBeenLastCalledWith('[\n  "staff",\n  "engineering"\n]');
    await fireEvent.click(within(idToken).getByTestId('copy-group'));
    expect(JSON.parse(writeText.mock.lastCall?.[0] ?? '')).toEqual(result.id_token.claims);
    await vi.waitFor(() => {
      expect(within(idToken).getByTestId('copy-group')).toHaveTextContent('Copied');
    });
  });
});
