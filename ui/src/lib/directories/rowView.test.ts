import { describe, expect, it } from 'vitest';
import type { DirectorySummary } from '$lib/bindings/DirectorySummary';
import { rowView } from './rowView';

function directory(overrides: Partial<DirectorySummary> = {}): DirectorySummary {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    name: 'Contoso',
    is_hidden: false,
    domain_suffixes: [],
    has_client_secret: true,
    secret_expiry: { state: 'not_set' },
    placeholder_logo: false,
    revision: 1,
    health: { last_check: null, last_probe: null, last_sign_in: null, attention: [] },
    ...overrides,
  };
}

describe('rowView', () => {
  it('shows no badge and the never-run lines for a fresh directory', () => {
    const view = rowView(directory());
    expect(view.nameBadges).toEqual([]);
    expect(view.badges).toEqual([]);
    expect(view.suffixes).toBe('—');
    expect(view.check).toEqual({ text: 'Never checked', tone: 'neutral', title: undefined });
    expect(view.signIn).toEqual({ text: 'Never tested', tone: 'neutral' });
  });

  it('puts what the directory is next to its name, and how it is doing, most urgent first, after', () => {
    const view = rowView(
      directory({
        is_hidden: true,
        placeholder_logo: true,
        domain_suffixes: ['contoso.com', 'contoso.net'],
        has_client_secret: false,
        secret_expiry: { state: 'soon', days_left: 2 },
        health: {
          last_check: null,
          last_probe: { verdict: 'refused', at: '2026-12-01T10:00:00Z' },
          last_sign_in: null,
          attention: ['The provider refused the client secret.', 'The secret expires soon.'],
        },
      }),
    );
    expect(view.nameBadges.map((b) => b.testid)).toEqual([
      'badge-placeholder-logo',
      'badge-hidden',
    ]);
    expect(view.badges.map((b) => [b.testid, b.text, b.tone])).toEqual([
      ['badge-attention', 'needs attention', 'danger'],
      ['badge-probe', 'Secret refused', 'danger'],
      ['badge-secret-missing', 'secret missing', 'danger'],
      ['badge-expiry', 'expires in 2 days', 'warning'],
    ]);
    expect(view.badges[0]?.title).toBe(
      'The provider refused the client secret.\nThe secret expires soon.',
    );
    expect(view.badges[3]?.title).toBe('The client secret expires in 2 days.');
    expect(view.suffixes).toBe('contoso.com, contoso.net');
  });
});
