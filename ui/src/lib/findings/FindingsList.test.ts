import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { router } from '$lib/navigation/router.svelte';
import { sampleFinding, sampleReport } from '../../test/fixtures';
import FindingsList from './FindingsList.svelte';

/** What routing reports: no fix (the message says what to do), the domain and the directories. */
const routingFinding = sampleFinding({
  severity: 'error',
  code: 'domain_in_several_directories',
  message: 'the domain suffix `contoso.com` is in 2 directories; remove it from all but one',
  fix: '',
  field: null,
  subject: 'contoso.com',
  directories: [
    { id: 'dir-staff', name: 'Staff (Entra)', is_hidden: true },
    { id: 'dir-members', name: 'Members', is_hidden: false },
  ],
});

describe('FindingsList', () => {
  it('shows each finding with its severity, message and fix, in the order given', () => {
    render(FindingsList, { findings: sampleReport().findings });

    const items = screen.getAllByTestId('finding');
    expect(items.map((item) => item.dataset.severity)).toEqual(['error', 'warning', 'info']);
    expect(items.map((item) => item.dataset.code)).toEqual([
      'token_auth_unsupported',
      'scope_not_advertised',
      'jwks_ok',
    ]);
    const first = items[0] as HTMLElement;
    expect(within(first).getByTestId('finding-message')).toHaveTextContent(
      'the directory authenticates with client_secret_post',
    );
    expect(within(first).getByTestId('finding-fix')).toHaveTextContent(
      'Fix: turn on Token Endpoint Basic Auth',
    );
    // The severity is named for screen readers, not only painted.
    expect(within(first).getByTitle('Error')).toHaveTextContent('Error:');
    expect(within(items[1] as HTMLElement).getByTitle('Warning')).toBeInTheDocument();
    expect(within(items[2] as HTMLElement).getByTitle('Info')).toBeInTheDocument();
  });

  it('shows provider text as text, never as markup', () => {
    const message = '<img src=x onerror="alert(1)"> issuer';
    render(FindingsList, { findings: [sampleFinding({ message })] });
    expect(screen.getByTestId('finding-message')).toHaveTextContent(message);
    expect(screen.getByTestId('finding-message').querySelector('img')).toBeNull();
  });

  it('shows markup in a provider’s message as text, inside code spans too', () => {
    const message = 'the server said <b>no</b>: `<img src=x onerror="alert(1)">`';
    render(FindingsList, {
      findings: [sampleFinding({ message, subject: '<i>region</i>' })],
    });
    const shown = screen.getByTestId('finding-message');
    expect(shown).toHaveTextContent('the server said <b>no</b>: <img src=x onerror="alert(1)">');
    expect(shown.querySelector('b, img, i')).toBeNull();
    expect(shown.querySelector('code')).toHaveTextContent('<img src=x onerror="alert(1)">');
    expect(screen.getByTestId('finding-subject')).toHaveTextContent('<i>region</i>');
  });

  it('shows a routing finding: code spans as code, the domain, no fix, the directories as chips', async () => {
    render(FindingsList, {
      findings: [routingFinding],
      testid: 'routing-findings',
      itemtestid: 'routing-finding',
    });

    const item = screen.getByTestId('routing-finding');
    expect(item).toHaveAttribute('data-code', 'domain_in_several_directories');
    const message = within(item).getByTestId('routing-finding-message');
    expect(message).toHaveTextContent(
      'the domain suffix contoso.com is in 2 directories; remove it from all but one',
    );
    expect([...message.querySelectorAll('code')].map((c) => c.textContent)).toEqual([
      'contoso.com',
      'contoso.com',
    ]);
    expect(within(item).getByTestId('routing-finding-subject')).toHaveTextContent('contoso.com');
    expect(within(item).queryByTestId('routing-finding-fix')).toBeNull();

    const chips = within(item).getAllByTestId('routing-finding-directory');
    expect(chips.map((c) => c.dataset.id)).toEqual(['dir-staff', 'dir-members']);
    expect(chips.map((c) => c.dataset.hidden)).toEqual(['true', 'false']);
    expect(within(chips[0] as HTMLElement).getByText('hidden')).toBeInTheDocument();
    await fireEvent.click(within(chips[1] as HTMLElement).getByRole('button', { name: 'Members' }));
    expect(router.route).toEqual({ screen: 'editor', id: 'dir-members' });
  });

  it('shows no directories for a finding that names none', () => {
    render(FindingsList, { findings: [sampleFinding()] });
    expect(screen.queryByTestId('finding-directory')).toBeNull();
  });

  it('offers to go to the field a finding concerns when the screen has fields', async () => {
    const ongotofield = vi.fn();
    render(FindingsList, {
      findings: [sampleFinding(), sampleFinding({ field: null, code: 'alg_none_offered' })],
      ongotofield,
    });
    const buttons = screen.getAllByTestId('finding-field');
    expect(buttons).toHaveLength(1);
    expect(buttons[0]).toHaveTextContent('Go to Token endpoint Basic auth');
    await fireEvent.click(buttons[0] as HTMLElement);
    expect(ongotofield).toHaveBeenCalledWith('token_endpoint_basic_auth');
  });

  it('offers no field buttons without a place to go', () => {
    render(FindingsList, { findings: [sampleFinding()] });
    expect(screen.queryByTestId('finding-field')).toBeNull();
  });

  it('says so when there is nothing to report', () => {
    render(FindingsList, { findings: [], empty: 'No findings.' });
    expect(screen.getByTestId('findings-empty')).toHaveTextContent('No findings.');
    expect(screen.queryByTestId('findings')).toBeNull();
  });
});
