/** What the routing screen keeps while the person visits other screens: the address typed. */
class RoutingState {
  email = $state('');
}

export const routingState = new RoutingState();
