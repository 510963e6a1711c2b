import type { DirectoryRef } from '$lib/bindings/DirectoryRef';
import type { Route } from '$lib/bindings/Route';

/** The routing rule of DESIGN §3.2 that decided, as a person names it. */
export const RULE_LABELS: Record<Route['rule'], string> = {
  domain_suffix: 'Domain suffix match',
  single_visible_directory: 'Only visible directory',
  selection_screen: 'Selection screen',
  nobody_can_sign_in: 'Nobody can sign in',
  conflicting_domain: 'Conflicting domain',
};

/** The directories a route leads to: one, the choices of the selection screen, or none. */
export function directoriesOf(route: Route): DirectoryRef[] {
  switch (route.rule) {
    case 'domain_suffix':
    case 'single_visible_directory':
      return [route.directory];
    case 'selection_screen':
      return route.choices;
    case 'conflicting_domain':
      return route.directories;
    case 'nobody_can_sign_in':
      return route.reason.kind === 'no_visible_directory' ? route.reason.hidden : [];
  }
}

/** Where a route ends, in one line: "Staff (Entra)", "the selection screen (3 directories)"… */
export function destinationText(route: Route): string {
  switch (route.rule) {
    case 'domain_suffix':
    case 'single_visible_directory':
      return route.directory.name;
    case 'selection_screen':
      return route.choices.length === 1
        ? 'the selection screen, with 1 directory'
        : `the selection screen, with ${route.choices.length} directories`;
    case 'conflicting_domain':
      return `nowhere: ${route.suffix} is listed by ${route.directories.length} directories`;
    case 'nobody_can_sign_in':
      return route.reason.kind === 'no_directories'
        ? 'nowhere: there is no directory'
        : 'nowhere: every directory is hidden';
  }
}
