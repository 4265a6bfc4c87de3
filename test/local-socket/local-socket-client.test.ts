import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { localSocketPath, MAX_SOCKET_PATH_BYTES } from '../../src/local-socket/local-socket-address';
import { probeLocalSocket } from '../../src/local-socket/local-socket-client';

/** Which sockets the CLI trusts: its own user's (or root's), in a directory not everyone may write to. */

let dir: string;
let server: net.Server | undefined;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-probe-'));
});
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const listen = () =>
  new Promise<void>((resolve) => {
    server = net.createServer().listen(localSocketPath(dir), () => resolve());
  });

test('a socket of this user in a private directory is used', async () => {
  await listen();
  expect(probeLocalSocket(dir)).toEqual({ usable: true, path: localSocketPath(dir) });
});

test('no socket, or a file that is not one, is not used, and the reason says which', () => {
  expect(probeLocalSocket(dir)).toEqual({ usable: false, reason: `there is no ${localSocketPath(dir)}` });
  fs.writeFileSync(localSocketPath(dir), '');
  expect(probeLocalSocket(dir)).toEqual({ usable: false, reason: `${localSocketPath(dir)} is not a socket` });
});

test('a socket in a directory every user may write to is not used', async () => {
  await listen();
  fs.chmodSync(dir, 0o777);
  expect(probeLocalSocket(dir)).toEqual({ usable: false, reason: `${dir} is writable by every user` });
});

test('a socket another user owns is not used', async () => {
  await listen();
  const me = process.getuid?.() ?? 0;
  // As root, hand the socket to uid 1; as anyone else, probe as if this were another user.
  if (me === 0) fs.chownSync(localSocketPath(dir), 1, 1);
  const owner = me === 0 ? 1 : me;
  expect(probeLocalSocket(dir, me === 0 ? 0 : me + 1)).toMatchObject({ usable: false, reason: expect.stringContaining(`belongs to another user (uid ${owner})`) });
});

test('a data directory whose socket path would be too long for a Unix socket says so', () => {
  const deep = path.join(dir, 'x'.repeat(MAX_SOCKET_PATH_BYTES));
  expect(probeLocalSocket(deep)).toMatchObject({ usable: false, reason: expect.stringContaining(`more than a Unix socket's ${MAX_SOCKET_PATH_BYTES}`) });
});
