import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileAllowList } from '../../../../src/services/delivery/outbound/delivery-allow-list';
import { createGuardedHttpClient, type OutboundRequest } from '../../../../src/services/delivery/outbound/guarded-http-client';

/** A loopback server answering each request with `handler`; closes every connection when the test ends. */
async function loopbackServer(handler: http.RequestListener): Promise<{ port: number; close: () => Promise<void>; requests: { host?: string; body: string }[] }> {
  const requests: { host?: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ host: req.headers.host, body: Buffer.concat(chunks).toString('utf8') });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const post = (url: string): OutboundRequest => ({ url, headers: { 'content-type': 'application/xml' }, body: '<x/>' });
const loopback = compileAllowList(['127.0.0.1/32']);

describe('the guarded HTTP client', () => {
  const client = createGuardedHttpClient({ connectTimeoutMs: 1_000, totalTimeoutMs: 400, maxResponseBytes: 1024 });

  test('posts to a receiver whose address a CIDR entry allows, and returns its answer', async () => {
    const server = await loopbackServer((_req, res) => res.end('thanks'));
    try {
      const outcome = await client.post(post(`http://127.0.0.1:${server.port}/inbox`), loopback);
      expect(outcome).toMatchObject({ kind: 'response', status: 200, truncated: false });
      expect(outcome.kind === 'response' && outcome.body.toString()).toBe('thanks');
      expect(server.requests).toEqual([{ host: `127.0.0.1:${server.port}`, body: '<x/>' }]);
    } finally {
      await server.close();
    }
  });

  test('refuses loopback without a CIDR entry, even for a host allow-listed by name that resolves there', async () => {
    const server = await loopbackServer((_req, res) => res.end());
    try {
      expect(await client.post(post(`http://127.0.0.1:${server.port}/`), compileAllowList([]))).toEqual({ kind: 'refused', reason: expect.stringContaining('not on the organization') });
      const rebinding = createGuardedHttpClient({ resolve: async () => ['93.184.216.34', '127.0.0.1'] });
      const outcome = await rebinding.post(post(`http://inbox.example.org:${server.port}/`), compileAllowList(['inbox.example.org']));
      expect(outcome).toEqual({ kind: 'refused', reason: expect.stringContaining('127.0.0.1, a loopback address') });
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test('connects to the address it checked, sending the host name in the Host header', async () => {
    const server = await loopbackServer((_req, res) => res.end('ok'));
    try {
      // The name is allow-listed and resolves (once, through the injected resolver) to an allow-listed CIDR.
      const pinned = createGuardedHttpClient({ resolve: async () => ['127.0.0.1'] });
      const outcome = await pinned.post(post(`http://inbox.test:${server.port}/in`), compileAllowList(['inbox.test', '127.0.0.1/32']));
      expect(outcome).toMatchObject({ kind: 'response', status: 200 });
      expect(server.requests[0]?.host).toBe(`inbox.test:${server.port}`);
    } finally {
      await server.close();
    }
  });

  test('does not follow a redirect', async () => {
    const target = await loopbackServer((_req, res) => res.end('should not be reached'));
    const server = await loopbackServer((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${target.port}/` }).end());
    try {
      const outcome = await client.post(post(`http://127.0.0.1:${server.port}/`), loopback);
      expect(outcome).toMatchObject({ kind: 'response', status: 302, headers: { location: `http://127.0.0.1:${target.port}/` } });
      expect(target.requests).toEqual([]);
    } finally {
      await server.close();
      await target.close();
    }
  });

  test('gives up on a receiver that does not answer in time', async () => {
    const server = await loopbackServer(() => undefined); // never answers
    try {
      expect(await client.post(post(`http://127.0.0.1:${server.port}/`), loopback)).toEqual({ kind: 'failed', reason: 'no complete answer within 400 ms' });
    } finally {
      await server.close();
    }
  });

  test('reads a response body only up to the cap', async () => {
    const server = await loopbackServer((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      // An endless body: the client must stop reading, not wait for the end.
      const pump = () => {
        while (sent < 100 && res.write(chunk)) sent += 1;
        if (sent < 100) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    try {
      const outcome = await client.post(post(`http://127.0.0.1:${server.port}/`), loopback);
      expect(outcome).toMatchObject({ kind: 'response', status: 200, truncated: true });
      expect(outcome.kind === 'response' && outcome.body.length).toBe(1024);
    } finally {
      await server.close();
    }
  });

  test('refuses schemes other than http and https, and addresses with credentials', async () => {
    expect(await client.post(post('ftp://127.0.0.1/x'), loopback)).toEqual({ kind: 'refused', reason: expect.stringContaining("'ftp:'") });
    expect(await client.post(post('http://user:secret@127.0.0.1/x'), loopback)).toEqual({ kind: 'refused', reason: 'the delivery address carries credentials' });
  });

  test('reports a refused connection', async () => {
    const server = await loopbackServer(() => undefined);
    const port = server.port;
    await server.close();
    expect(await client.post(post(`http://127.0.0.1:${port}/`), loopback)).toEqual({ kind: 'failed', reason: 'connection refused' });
  });
});
