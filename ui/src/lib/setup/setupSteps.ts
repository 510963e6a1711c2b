import type { RouteDecision } from '$lib/bindings/RouteDecision';
import type { Setup } from '$lib/bindings/Setup';
import type { SetupStepId } from '$lib/bindings/SetupStepId';
import type { StepState } from '$lib/bindings/StepState';

/** How each step's state is said next to its title. */
export const STATE_LABELS: Record<
  StepState,
  { text: string; tone: 'success' | 'warning' | 'neutral' }
> = {
  done: { text: 'done', tone: 'success' },
  attention: { text: 'needs attention', tone: 'warning' },
  not_yet: { text: 'not yet', tone: 'neutral' },
};

/** The step to show when the setup opens: the first not done, or the last when all are. */
export function firstOpenStep(setup: Setup): SetupStepId {
  const open = setup.steps.find((s) => s.state !== 'done');
  return open?.step ?? 'routing';
}

/** Whether routing the address sends its user to the directory `id` (alone or among others). */
export function routesTo(decision: RouteDecision, id: string): boolean {
  const route = decision.route;
  switch (route.rule) {
    case 'domain_suffix':
    case 'single_visible_directory':
      return route.directory.id === id;
    case 'selection_screen':
      return route.choices.some((d) => d.id === id);
    default:
      return false;
  }
}

/** What the routing step records: the domain and the verdict, never the whole address. */
export function routingDetail(decision: RouteDecision, name: string, id: string): string {
  return routesTo(decision, id)
    ? `users of ${decision.domain_unicode} reach ${name}`
    : `users of ${decision.domain_unicode} do not reach ${name}: ${decision.explanation}`;
}
