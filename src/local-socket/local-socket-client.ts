import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { localSocketPath, socketPathProblem } from './local-socket-address';

/**
 * The CLI's side of the local socket: whether a data directory has a socket this user may trust, and
 * one HTTP request over it. Trust means: a socket owned by this user (or root) in a directory that
 * not everyone may write to, so what answers is the hub this user (or root) started.
 */

export type SocketProbe = { readonly usable: true; readonly path: string } | { readonly usable: false; readonly reason: string };

/** `me`: the uid the socket must belong to (besides root); this process's by default. */
export function probeLocalSocket(dataDir: string, me: number | undefined = process.getuid?.()): SocketProbe {
  const socketPath = localSocketPath(dataDir);
  const tooLong = socketPathProblem(socketPath);
  if (tooLong !== undefined) return { usable: false, reason: tooLong };
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(socketPath);
  } catch {
    return { usable: false, reason: `there is no ${socketPath}` };
  }
  if (!stat.isSocket()) return { usable: false, reason: `${socketPath} is not a socket` };
  if (me !== undefined && stat.uid !== me && stat.uid !== 0) return { usable: false, reason: `${socketPath} belongs to another user (uid ${stat.uid}): run the command as the hub's user` };
  if ((fs.statSync(path.dirname(socketPath)).mode & 0o002) !== 0) return { usable: false, reason: `${path.dirname(socketPath)} is writable by every user` };
  return { usable: true, path: socketPath };
}

export interface SocketAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly text: string;
}

/** One request to the hub on `socketPath`; `url` gives the path and query (its host is ignored). */
export function requestOverSocket(socketPath: string, url: URL, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<SocketAnswer> {
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const req = http.request(
      {
        socketPath,
        method: init.method ?? 'GET',
        path: `${url.pathname}${url.search}`,
        headers: { host: 'localhost', ...(init.headers ?? {}), ...(body !== undefined ? { 'content-length': String(body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
