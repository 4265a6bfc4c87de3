import path from 'node:path';
import { DEFAULT_DATA_DIR } from '../../config/settings';
import { probeLocalSocket } from '../../local-socket/local-socket-client';
import { DirectoryLockedError } from '../../storage/sql/directory-lock';
import { REACH_A_HUB_HINT, remoteHub, socketHub, type HubEndpoint } from './remote-hub';

/**
 * How a CLI command finds a running hub when it is not given a URL: the local socket that a hub on
 * the embedded store serves in its data directory (local-socket/). Commands that would open the
 * embedded store go there when a running hub holds the directory; commands that only ever talk to
 * a hub (pivot, campaign) go there when they have no --url.
 */

/** The data directory a command means: --data-dir, else HUB_DATA_DIR, else the package's data/. */
export function dataDirOf(options: { readonly dataDir?: string }, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(options.dataDir ?? env.HUB_DATA_DIR ?? DEFAULT_DATA_DIR);
}

/** The hub holding the data directory `locked` names, over its socket; else an Error saying what to do. */
export function hubHoldingDirectory(locked: DirectoryLockedError, actAs?: string): HubEndpoint {
  const probe = probeLocalSocket(locked.dataDir);
  if (probe.usable) return socketHub(probe.path, actAs);
  const holder = locked.holderPid === undefined ? 'a running hub' : `a running hub (pid ${locked.holderPid})`;
  throw new Error(`the data directory ${locked.dataDir} is in use by ${holder}, and its local socket cannot be used (${probe.reason}; the hub's log says why it serves none). To go on, ${REACH_A_HUB_HINT}`);
}

/** --url/HUB_URL, else the local socket of the data directory, else an Error saying what to do (`what`: the command). */
export function reachRunningHub(options: { readonly url?: string; readonly login?: string; readonly dataDir?: string }, what: string, env: NodeJS.ProcessEnv = process.env): HubEndpoint {
  const remote = remoteHub(options, env);
  if (remote !== undefined) return remote;
  const dataDir = dataDirOf(options, env);
  const probe = probeLocalSocket(dataDir);
  if (probe.usable) return socketHub(probe.path);
  throw new Error(`${what} asks a running hub, and none serves a local socket in ${dataDir} (${probe.reason}): start the hub there (npm start), or give --url (or HUB_URL) and credentials (HUB_API_KEY, or --login/HUB_USER with HUB_PASSWORD)`);
}
