import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { compileAllowList } from '../../../../src/services/delivery/outbound/delivery-allow-list';
import { createGuardedHttpClient } from '../../../../src/services/delivery/outbound/guarded-http-client';

/**
 * HTTPS to a pinned address: the client connects to the address it checked (127.0.0.1 here) and
 * still verifies the receiver's certificate for the host name of the delivery address.
 */
describe('the guarded HTTP client over HTTPS', () => {
  let dir: string;
  let cert: Buffer;
  let server: https.Server;
  let port: number;
  const hosts: (string | undefined)[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-tls-'));
    const key = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', certFile, '-days', '1', '-subj', '/CN=inbox.test', '-addext', 'subjectAltName=DNS:inbox.test'], { stdio: 'ignore' });
    cert = fs.readFileSync(certFile);
    server = https.createServer({ key: fs.readFileSync(key), cert }, (req, res) => {
      hosts.push(req.headers.host);
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const request = (host: string) => ({ url: `https://${host}:${port}/inbox`, headers: {}, body: '<x/>' });
  const list = compileAllowList(['inbox.test', 'other.test', '127.0.0.1/32']);
  const toLoopback = async () => ['127.0.0.1'];

  test('verifies the certificate for the host name while connecting to the checked address', async () => {
    const client = createGuardedHttpClient({ resolve: toLoopback, ca: cert });
    expect(await client.post(request('inbox.test'), list)).toMatchObject({ kind: 'response', status: 200 });
    expect(hosts.at(-1)).toBe(`inbox.test:${port}`);
  });

  test('refuses a certificate it cannot verify, or one for another name', async () => {
    const untrusting = createGuardedHttpClient({ resolve: toLoopback });
    expect(await untrusting.post(request('inbox.test'), list)).toEqual({ kind: 'failed', reason: expect.stringContaining("the receiver's TLS certificate was not accepted") });
    const trusting = createGuardedHttpClient({ resolve: toLoopback, ca: cert });
    expect(await trusting.post(request('other.test'), list)).toEqual({ kind: 'failed', reason: "the receiver's TLS certificate was not accepted (ERR_TLS_CERT_ALTNAME_INVALID)" });
  });
});
