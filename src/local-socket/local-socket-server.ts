import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { Logger } from 'pino';
import { localSocketOperator, markLocalSocketRequest } from '../auth/local-socket-principal';
import type { Principal } from '../domain/principal';
import type { User } from '../domain/tenancy';
import { ACT_AS_HEADER, localSocketPath, socketPathProblem } from './local-socket-address';

/**
 * The hub's local socket: a Unix socket in the data directory (hub.sock) on which the running hub
 * serves its whole HTTP app to the local operator, so the CLI reaches a running hub without a URL or
 * credentials (docs/operations.md, "The local socket"). File permissions are the authentication:
 * the socket is created 0600, so only the hub's own OS user (and root) can connect, and a data
 * directory that anyone may write to gets no socket (anyone could put their own socket there).
 * Every request on it acts as the local operator (auth/local-socket-principal.ts), or as the hub
 * user the CLI names in ACT_AS_HEADER (`import --as bob`), and the request log names that principal.
 */

export interface LocalSocketOptions {
  readonly dataDir: string;
  /** The hub's HTTP app: the same routes, checks and audit as over TCP. */
  readonly app: http.RequestListener;
  /** Looks up the user an `ACT_AS_HEADER` names. */
  readonly userByUsername: (username: string) => Promise<User | undefined>;
  /** Where a stale socket's removal is reported. */
  readonly logger: Logger;
  /** How long open requests may take to finish when the socket closes. */
  readonly closeTimeoutMs?: number;
}

export interface LocalSocket {
  readonly path: string;
  /** Stops accepting connections, lets open requests finish and removes the socket file. Idempotent. */
  close(): Promise<void>;
}

export type LocalSocketOutcome = { readonly serving: true; readonly socket: LocalSocket } | { readonly serving: false; readonly reason: string };

export async function serveLocalSocket(options: LocalSocketOptions): Promise<LocalSocketOutcome> {
  const socketPath = localSocketPath(options.dataDir);
  const refused = socketPathProblem(socketPath) ?? directoryProblem(options.dataDir) ?? (await clearStaleSocket(socketPath, options.logger));
  if (refused !== undefined) return { serving: false, reason: refused };

  const server = http.createServer((req, res) => void answer(options, req, res));
  await listenPrivately(server, socketPath);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => server.closeAllConnections(), options.closeTimeoutMs ?? 5_000);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        removeSocketFile(socketPath);
        resolve();
      });
      server.closeIdleConnections();
    }));
  return { serving: true, socket: { path: socketPath, close } };
}

async function answer(options: LocalSocketOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const actAs = req.headers[ACT_AS_HEADER];
  let principal: Principal;
  try {
    principal = typeof actAs === 'string' ? await actingUser(options, actAs) : localSocketOperator();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'BAD_REQUEST', title: 'Bad request', message } }));
    return;
  }
  // The app's request log names this principal on the request's completion line, like any other.
  markLocalSocketRequest(req, principal);
  options.app(req, res);
}

/** The hub user the CLI acts as: the same principal its embedded-store mode builds for `--as`. */
async function actingUser(options: LocalSocketOptions, username: string): Promise<Principal> {
  const user = await options.userByUsername(username);
  if (user === undefined) throw new Error(`there is no user "${username}" (--as)`);
  if (user.disabled) throw new Error(`the user "${username}" is disabled (--as)`);
  return { userId: user.id, username: `${user.username} (local-socket)`, organizationId: user.organizationId, roles: new Set(user.roles), via: 'local' };
}

/** A data directory others may write to could hold a socket of theirs in place of ours. */
function directoryProblem(dataDir: string): string | undefined {
  const mode = fs.statSync(dataDir).mode;
  return (mode & 0o002) !== 0 ? `the data directory ${dataDir} is writable by every user (chmod o-w it)` : undefined;
}

/**
 * A socket file left by a hub that was killed (SIGKILL, a crash) is removed. This process holds the
 * data directory's lock, so no other hub can be serving it; one that answers anyway is left alone,
 * and so is anything that is not a socket.
 */
async function clearStaleSocket(socketPath: string, logger: Logger): Promise<string | undefined> {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(socketPath);
  } catch {
    return undefined; // none: the usual case
  }
  if (!stat.isSocket()) return `${socketPath} exists and is not a socket (remove it)`;
  if (await answers(socketPath)) return `another process answers on ${socketPath}`;
  logger.info({ path: socketPath }, 'removing the local socket of a hub that did not shut down');
  removeSocketFile(socketPath);
  return undefined;
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/**
 * Listens with a umask that leaves the socket 0600 from the moment it exists (binding a path is
 * synchronous in listen), then sets the mode again in case another umask applied (a cluster manager).
 */
function listenPrivately(server: http.Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const umask = process.umask(0o177);
    try {
      server.listen({ path: socketPath, exclusive: true }, () => {
        server.off('error', reject);
        try {
          fs.chmodSync(socketPath, 0o600);
          resolve();
        } catch (error) {
          server.close();
          reject(error as Error);
        }
      });
    } finally {
      process.umask(umask);
    }
  });
}

function removeSocketFile(socketPath: string): void {
  try {
    fs.unlinkSync(socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
