/**
 * A running hub the CLI talks to: over HTTP at a URL with credentials (--url or HUB_URL), or over
 * the local socket in its data directory as the local operator (local-socket/). Apart from
 * admin-connection.ts (which opens databases) so that `taxii-hub match` loads nothing of the hub itself.
 */
export interface HubEndpoint {
  /** The base URL requests are built on (for a socket, a placeholder host: the socket is the address). */
  readonly url: string;
  /** The Authorization header; none on the socket, where file permissions are the authentication. */
  readonly authorization: string;
  /** The hub's local socket, when the CLI reaches it that way. */
  readonly socketPath?: string;
  /** On the socket: the hub user to act as (`import --as`). */
  readonly actAs?: string;
  /** How messages name the hub. */
  readonly label: string;
}

/**
 * The hub named by --url or HUB_URL and the Authorization header of its credentials: HUB_API_KEY, or
 * --login/HUB_USER with HUB_PASSWORD. Undefined without a URL (work on the database, or the socket).
 */
export function remoteHub(options: { readonly url?: string; readonly login?: string }, env: NodeJS.ProcessEnv = process.env): HubEndpoint | undefined {
  const url = options.url ?? env.HUB_URL;
  if (!url) return undefined;
  const user = options.login ?? env.HUB_USER;
  if (user) {
    if (env.HUB_PASSWORD === undefined) throw new Error('set HUB_PASSWORD to the password of --login');
    return { url, label: url, authorization: `Basic ${Buffer.from(`${user}:${env.HUB_PASSWORD}`).toString('base64')}` };
  }
  if (env.HUB_API_KEY) return { url, label: url, authorization: `Bearer ${env.HUB_API_KEY}` };
  throw new Error('with --url, set HUB_API_KEY, or give --login (or HUB_USER) and HUB_PASSWORD');
}

/** The hub serving the local socket at `socketPath`, as the local operator (or as `actAs`). */
export function socketHub(socketPath: string, actAs?: string): HubEndpoint {
  return { url: 'http://localhost', authorization: '', socketPath, label: `the running hub (local socket ${socketPath})`, ...(actAs !== undefined ? { actAs } : {}) };
}

/** What to do when the CLI can reach no hub: the ways there are. */
export const REACH_A_HUB_HINT =
  'give the hub\'s address with --url (or HUB_URL) and credentials (HUB_API_KEY, or --login/HUB_USER with HUB_PASSWORD), or stop the hub to work on its data directory directly';
