import path from 'node:path';

/**
 * Where a running hub's local socket is, and what its clients may say on it. The serve command
 * (local-socket-server.ts) and the CLI (local-socket-client.ts) both read it from here.
 */

/** The socket's name inside the data directory, beside the directory's lock file (hub.lock). */
export const LOCAL_SOCKET_FILE = 'hub.sock';

/**
 * The request header with which the CLI asks to act as a hub user (`import --as bob`); the socket
 * server honours it on the socket only, as the embedded-store CLI honours `--as`.
 */
export const ACT_AS_HEADER = 'taxii-hub-act-as';

/** sun_path holds 108 bytes on Linux, the terminating NUL included; macOS allows 104. */
export const MAX_SOCKET_PATH_BYTES = 103;

export function localSocketPath(dataDir: string): string {
  return path.join(dataDir, LOCAL_SOCKET_FILE);
}

/** Why this path cannot be a Unix socket's address; undefined when it can. */
export function socketPathProblem(socketPath: string): string | undefined {
  const bytes = Buffer.byteLength(socketPath);
  return bytes > MAX_SOCKET_PATH_BYTES ? `its path ${socketPath} is ${bytes} bytes long, more than a Unix socket's ${MAX_SOCKET_PATH_BYTES}` : undefined;
}
