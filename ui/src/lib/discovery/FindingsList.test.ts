import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { sampleFinding, sampleReport } from '../../test/fixtures';
import FindingsList from './FindingsList.svelte';

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
