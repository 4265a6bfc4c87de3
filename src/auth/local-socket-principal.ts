import type { IncomingMessage } from 'node:http';
import type { Principal } from '../domain/principal';
import type { Role } from '../domain/tenancy';

/**
 * The principal of a request that arrived on the hub's local socket (src/local-socket/): the socket
 * server marks the request before the app sees it, and the authenticator takes the mark instead of
 * any credentials. The mark is a symbol-keyed property of the Node request object, which nothing a
 * client sends can set: a request over TCP is never marked, whatever its headers say.
 */

const LOCAL_SOCKET_PRINCIPAL = Symbol('taxii-hub local socket principal');

type MarkedRequest = IncomingMessage & { [LOCAL_SOCKET_PRINCIPAL]?: Principal };

/** The username (and audit actor) of the local operator on the socket. */
export const LOCAL_SOCKET_OPERATOR = 'local-socket';

/** The local operator: whoever may open the socket (the hub's own OS user, or root) is the hub's operator. */
export function localSocketOperator(): Principal {
  return { userId: LOCAL_SOCKET_OPERATOR, username: LOCAL_SOCKET_OPERATOR, organizationId: '', roles: new Set<Role>(['operator']), via: 'local' };
}

/** Called by the socket server only, for each request it receives. */
export function markLocalSocketRequest(req: IncomingMessage, principal: Principal): void {
  (req as MarkedRequest)[LOCAL_SOCKET_PRINCIPAL] = principal;
}

/** The principal of a request that came through the local socket; undefined for every other request. */
export function localSocketPrincipalOf(req: IncomingMessage): Principal | undefined {
  return (req as MarkedRequest)[LOCAL_SOCKET_PRINCIPAL];
}
