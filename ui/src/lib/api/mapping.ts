import type { ClaimsEvaluation } from '$lib/bindings/ClaimsEvaluation';
import type { PastedClaims } from '$lib/bindings/PastedClaims';
import type { RouteDecision } from '$lib/bindings/RouteDecision';
import type { RoutingReport } from '$lib/bindings/RoutingReport';
import { call } from './call';

/**
 * Which directory the sign-in service sends `email` to, and why. Fails with kind
 * "invalid_email" (field "email") saying what is wrong with the address.
 */
export function simulateRoute(email: string): Promise<RouteDecision> {
  return call('simulate_route', { email });
}

/** The routing of all directories together: domains, visible directories, findings. */
export function checkRouting(): Promise<RoutingReport> {
  return call('check_routing');
}

/**
 * Reads pasted claims (claims by source, bare ID token claims, a JWT, a token response) and
 * groups them by source; cheap enough to call as the person types. Fails with kind
 * "invalid_claims" (field "claims_json") naming the place that could not be read.
 */
export function parseClaims(claimsJson: string): Promise<PastedClaims> {
  return call('parse_claims', { claimsJson });
}

/**
 * Evaluates claims against the saved directory `id`: each mapping's value or why sign-in would
 * fail, the composed external ID, and the staff decision.
 */
export function evaluateClaims(id: string, claimsJson: string): Promise<ClaimsEvaluation> {
  return call('evaluate_claims', { id, claimsJson });
}
