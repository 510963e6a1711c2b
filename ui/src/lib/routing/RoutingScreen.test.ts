import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import type { RouteDecision } from '$lib/bindings/RouteDecision';
import { publicRoute, sampleRoutingReport, staffRoute } from '../../test/signinFixtures';
import RoutingScreen from './RoutingScreen.svelte';
import { routingState } from './routingState.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

const SELECTION: RouteDecision = {
  ...publicRoute(),
  route: {
    rule: 'selection_screen',
    choices: [
      { id: 'a', name: 'Members', is_hidden: false },
      { id: 'b', name: 'Partners', is_hidden: false },
    ],
  },
  explanation: 'No directory lists gmail.com and 2 directories are visible',
};

const NOBODY: RouteDecision = {
  ...publicRoute(),
  route: {
    rule: 'nobody_can_sign_in',
    reason: { kind: 'no_visible_directory', hidden: [{ id: 's', name: 'Staff', is_hidden: true }] },
  },
  can_sign_in: false,
  explanation: 'Every directory is hidden and none lists gmail.com',
  notes: ['Add gmail.com to a directory, or make one visible'],
};

function answer(decisions: Record<string, RouteDecision>) {
  invokeMock.mockImplementation((command: string, args?: unknown) => {
    if (command === 'check_routing') return Promise.resolve(sampleRoutingReport());
    if (command === 'simulate_route') {
      const { email } = args as { email: string };
      const decision = decisions[email];
      return decision === undefined
        ? Promise.reject({
            kind: 'invalid_email',
            message: `"${email}" has no @`,
            field: 'email',
            fields: [],
          })
        : Promise.resolve(decision);
    }
    return Promise.reject(new Error(`unexpected command ${command}`));
  });
}

async function simulate(email: string): Promise<void> {
  await fireEvent.input(screen.getByTestId('route-email'), { target: { value: email } });
  await fireEvent.click(screen.getByTestId('simulate-route'));
}

describe('RoutingScreen', () => {
  beforeEach(() => {
    invokeMock.mockReset();
    routingState.email = '';
  });

  it('sends a staff address to the hidden directory listing its domain', async () => {
    answer({ 'staff@example.org': staffRoute() });
    render(RoutingScreen);
    await simulate('staff@example.org');

    const decision = await screen.findByTestId('route-decision');
    expect(invokeMock).toHaveBeenCalledWith('simulate_route', { email: 'staff@example.org' });
    expect(decision).toHaveAttribute('data-rule', 'domain_suffix');
    expect(within(decision).getByTestId('route-rule')).toHaveTextContent('Domain suffix match');
    const directory = within(decision).getByTestId('route-directory');
    expect(directory).toHaveTextContent('Staff (Entra)');
    expect(directory).toHaveTextContent('hidden');
    expect(within(decision).getByTestId('route-suffix')).toHaveTextContent('example.org');
    expect(within(decision).getByTestId('route-explanation')).toHaveTextContent(
      'sends the user straight to it',
    );
  });

  it('sends everyone else to the only visible directory', async () => {
    answer({ 'someone@gmail.com': publicRoute() });
    render(RoutingScreen);
    await simulate('someone@gmail.com');
    const decision = await screen.findByTestId('route-decision');
    expect(decision).toHaveAttribute('data-rule', 'single_visible_directory');
    expect(within(decision).getByTestId('route-rule')).toHaveTextContent('Only visible directory');
    expect(within(decision).getByTestId('route-directory')).toHaveTextContent('Members');
  });

  it('lists the choices of the selection screen', async () => {
    answer({ 'a@gmail.com': SELECTION });
    render(RoutingScreen);
    await simulate('a@gmail.com');
    const decision = await screen.findByTestId('route-decision');
    expect(within(decision).getByTestId('route-rule')).toHaveTextContent('Selection screen');
    expect(
      within(decision)
        .getAllByTestId('route-choice')
        .map((c) => c.textContent.trim()),
    ).toEqual(['Members', 'Partners']);
  });

  it('says when nobody can sign in, with the notes', async () => {
    answer({ 'a@gmail.com': NOBODY });
    render(RoutingScreen);
    await simulate('a@gmail.com');
    const decision = await screen.findByTestId('route-decision');
    expect(decision).toHaveAttribute('data-can-sign-in', 'false');
    expect(within(decision).getByTestId('route-nobody')).toHaveTextContent(
      'This user cannot sign in.',
    );
    expect(within(decision).getByTestId('route-note')).toHaveTextContent('make one visible');
  });

  it('puts the core’s message about a bad address next to the field', async () => {
    answer({});
    render(RoutingScreen);
    await simulate('nobody');
    expect(await screen.findByTestId('error-email')).toHaveTextContent('"nobody" has no @');
    expect(screen.getByTestId('route-email')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByTestId('route-decision')).toBeNull();
  });

  it('checks the routing of all directories with its findings', async () => {
    answer({});
    render(RoutingScreen);
    const report = await screen.findByTestId('routing-report');
    expect(invokeMock).toHaveBeenCalledWith('check_routing', {});
    expect(within(report).getByTestId('routing-summary')).toHaveTextContent(
      'OK Routing works (2 directories, 1 visible, 1 domain suffix(es))',
    );
    const domain = within(report).getByTestId('routing-domain');
    expect(domain).toHaveAttribute('data-domain', 'example.org');
    expect(domain).toHaveTextContent('Staff (Entra)');
    expect(within(report).getByTestId('routing-other')).toHaveTextContent(
      'Only visible directory → Members',
    );
    const findings = within(report).getAllByTestId('routing-finding');
    expect(findings.map((f) => f.dataset.code)).toEqual(['staff_public_pattern', 'other_domains']);
    expect(findings[0]).toHaveTextContent('Staff sign in through "Staff (Entra)"');
    expect(
      within(findings[0] as HTMLElement)
        .getAllByTestId('routing-finding-directory')
        .map((chip) => chip.dataset.id),
    ).toEqual(['staff-id', 'members-id']);
    expect(within(report).queryByTestId('routing-finding-fix')).toBeNull();
  });
});
