import { describe, expect, it } from 'vitest';
import type { RouteDecision } from '$lib/bindings/RouteDecision';
import { publicRoute } from '../../test/signinFixtures';
import { firstOpenStep, routesTo, routingDetail } from './setupSteps';
import { sampleSetup } from './setupFixtures';

const via = (route: RouteDecision['route']): RouteDecision => ({
  ...publicRoute(),
  route,
  domain_unicode: 'contoso.com',
  explanation: 'because',
});

describe('setup steps', () => {
  it('opens at the first step not done, or the last when all are', () => {
    expect(firstOpenStep(sampleSetup())).toBe('discovery');
    const done = sampleSetup();
    done.steps = done.steps.map((s) => ({ ...s, state: 'done' }));
    expect(firstOpenStep(done)).toBe('routing');
    const attention = sampleSetup();
    attention.steps = attention.steps.map((s) => ({
      ...s,
      state: s.step === 'test_sign_in' ? 'attention' : 'done',
    }));
    expect(firstOpenStep(attention)).toBe('test_sign_in');
  });

  it('tells whether an address reaches the directory, alone or among others', () => {
    const me = { id: 'd1', name: 'Contoso', is_hidden: false };
    const other = { id: 'd2', name: 'Other', is_hidden: false };
    expect(
      routesTo(via({ rule: 'domain_suffix', directory: me, suffix: 'contoso.com' }), 'd1'),
    ).toBe(true);
    expect(routesTo(via({ rule: 'single_visible_directory', directory: other }), 'd1')).toBe(false);
    expect(routesTo(via({ rule: 'selection_screen', choices: [other, me] }), 'd1')).toBe(true);
    expect(
      routesTo(
        via({ rule: 'conflicting_domain', suffix: 'contoso.com', directories: [me, other] }),
        'd1',
      ),
    ).toBe(false);
  });

  it('records the domain and the verdict, never the whole address', () => {
    const decision = {
      ...via({ rule: 'selection_screen', choices: [] }),
      email: 'ada@contoso.com',
    };
    const detail = routingDetail(decision, 'Contoso', 'd1');
    expect(detail).toBe('users of contoso.com do not reach Contoso: because');
    expect(detail).not.toContain('ada@');
  });
});
