import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMirrorHttp, HttpStatusError } from '../../../../src/cli/match/mirror/mirror-http';

/** A refused request says what the server said, in the hub API's form or TAXII's. */
async function serverAnswering(status: number, body: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test.each([
  ['the hub API', 400, '{"error":{"code":"INVALID_CURSOR","title":"Invalid cursor","message":"This cursor was not issued for this collection"}}', 'This cursor was not issued for this collection'],
  ['a TAXII error resource', 403, '{"title":"Forbidden","description":"You may not read this collection"}', 'You may not read this collection'],
  ['a proxy page', 502, '<html>Bad gateway</html>', '<html>Bad gateway</html>'],
])('an error from %s carries its message', async (_from, status, body, said) => {
  const server = await serverAnswering(status, body);
  try {
    const error = await createMirrorHttp(server.url, 'Bearer x').changes('c', { types: ['indicator'], limit: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as HttpStatusError).status).toBe(status);
    expect((error as HttpStatusError).detail).toBe(said);
  } finally {
    await server.close();
  }
});
