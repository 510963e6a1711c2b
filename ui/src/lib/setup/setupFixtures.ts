import type { GuideText } from '$lib/bindings/GuideText';
import type { Setup } from '$lib/bindings/Setup';
import { sampleDocument } from '../../test/fixtures';

/** A setup just started with the generic preset: values done, nothing else yet. */
export function sampleSetup(overrides: Partial<Setup> = {}): Setup {
  const step = (
    step: Setup['steps'][number]['step'],
    title: string,
    state: Setup['steps'][number]['state'] = 'not_yet',
  ) => ({ step, title, state, detail: `${title} detail`, at: null });
  return {
    id: '0192d7a4-0000-7000-8000-000000000001',
    preset: 'generic',
    provider: 'Any OpenID Connect provider',
    values: { issuer: 'https://login.contoso.com' },
    document: {
      ...sampleDocument(),
      id: '0192d7a4-0000-7000-8000-000000000001',
      name: 'Contoso staff',
      discovery_domain: 'https://login.contoso.com',
      test_redirect_port: 47613,
    },
    saved: false,
    redirect_url: 'https://signin.example.com/callback/0192d7a4-0000-7000-8000-000000000001',
    staff_suggestion: null,
    steps: [
      step('values', 'Provider values', 'done'),
      step('discovery', 'Discovery'),
      step('provider', 'Steps at the provider'),
      step('credentials', 'Client ID and secret'),
      step('save', 'Save'),
      step('test_sign_in', 'Test sign-in'),
      step('evaluation', 'Claims and staff'),
      step('routing', 'Routing'),
    ],
    complete: false,
    created_at: '2026-12-06T10:00:00Z',
    updated_at: '2026-12-06T10:00:00Z',
    ...overrides,
  };
}

/** The guide of `sampleSetup`, two steps. */
export function sampleGuide(): GuideText {
  return {
    guide: {
      title: "Contoso staff: register SSO Console's sign-in at Any OpenID Connect provider",
      intro: 'For the administrator.',
      steps: [
        {
          parts: [
            { kind: 'text', text: 'Register ' },
            {
              kind: 'value',
              label: 'Redirect URI',
              value: 'https://signin.example.com/callback/0192d7a4-0000-7000-8000-000000000001',
            },
            { kind: 'text', text: ' and ' },
            {
              kind: 'value',
              label: 'Test sign-in redirect URI',
              value: 'http://127.0.0.1:47613/callback',
            },
            { kind: 'text', text: '.' },
          ],
        },
        { parts: [{ kind: 'missing', label: 'hosted_domain', why: 'not given' }] },
      ],
      notes: ['The endpoints come from discovery.'],
    },
    markdown: '# Contoso staff\n',
    html: '<!doctype html>',
  };
}
