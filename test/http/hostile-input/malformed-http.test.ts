import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BUNDLED_CONFIG_PATH } from '../../../src/config/hub-config-path';
import { loadSettings } from '../../../src/config/settings';
import { ERROR_CATALOG, type ErrorCode } from '../../../src/domain/errors';
import { answerClientErrors } from '../../../src/http/errors/client-error';
import { createLogger } from '../../../src/http/ops/logging';
import { TAXII_MEDIA_TYPE } from '../../../src/http/taxii21/media-types';
import { startHub, type RunningHub } from '../../../src/server';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { seedPgliteDataDir } from '../../support/test-databases';

/**
 * Requests Node's HTTP parser refuses before routing get an answer in the hub's error form (not
 * Node's bare status line): a TAXII error resource for TAXII paths, the JSON error for /api and
 * /admin/api and when the path cannot be read; then the connection closes. Run against the hub as
 * `serve` starts it.
 */

const ALICE = `Basic ${Buffer.from('alice:alice-demo-pw').toString('base64')}`;
const OBJECTS = `/demo/collections/${DEMO_COLLECTIONS.acmeInternal}/objects/`;

interface RawAnswer {
  readonly statusLine: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Writes `request` on a fresh connection and reads until the server closes it. */
function exchange(hub: Pick<RunningHub, 'port'>, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(hub.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      socket.destroy();
      try {
        resolve({ statusLine, headers, body: JSON.parse(text.slice(split + 4)) as unknown });
      } catch {
        reject(new Error(`the answer has no JSON body: ${JSON.stringify(text.slice(0, 200))}`));
      }
    });
    socket.write(request);
  });
}

function expectAnswer(answer: RawAnswer, form: 'taxii' | 'json', code: ErrorCode, message: string | RegExp): void {
  const { httpStatus, title } = ERROR_CATALOG[code];
  expect(answer.statusLine).toMatch(new RegExp(`^HTTP/1\\.1 ${httpStatus} `));
  expect(answer.headers.connection).toBe('close');
  expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(answer.body)));
  if (form === 'taxii') {
    expect(answer.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(answer.body).toEqual({ title, description: expect.stringMatching(message), error_code: code, http_status: String(httpStatus) });
  } else {
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.body).toEqual({ error: { code, title, message: expect.stringMatching(message) } });
  }
}

const BIG_HEADER = `X-Padding: ${'a'.repeat(20_000)}\r\n`;

let hub: RunningHub;
let dataDir: string;
beforeAll(async () => {
  dataDir = await seedPgliteDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-malformed-')));
  const loaded = loadSettings({}, { port: '0', host: '127.0.0.1', configPath: BUNDLED_CONFIG_PATH, dataDir });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  hub = await startHub({ settings: loaded.settings, logger: createLogger('silent') });
});
afterAll(async () => {
  await hub.shutdown();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('header fields over the limit: 431', () => {
  test.each([
    ['a TAXII path', '/taxii2/', 'taxii'],
    ['a TAXII POST', OBJECTS, 'taxii'],
    ['the hub API', '/api/submissions', 'json'],
    ['the admin API', '/admin/api/organizations', 'json'],
  ] as const)('on %s, in its error form', async (_name, target, form) => {
    const answer = await exchange(hub, `GET ${target} HTTP/1.1\r\nHost: hub\r\nAuthorization: ${ALICE}\r\n${BIG_HEADER}\r\n`);
    expectAnswer(answer, form, 'HEADERS_TOO_LARGE', /^The request header fields are larger than the server accepts \(\d+ bytes in all\)$/);
  });
});

describe('bad framing and requests that are not HTTP: 400', () => {
  test.each([
    ['Content-Length and Transfer-Encoding together', `POST ${OBJECTS} HTTP/1.1\r\nHost: hub\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 'taxii'],
    ['a chunk size that is not hex, while the hub reads the body', `POST ${OBJECTS} HTTP/1.1\r\nHost: hub\r\nAuthorization: ${ALICE}\r\nContent-Type: ${TAXII_MEDIA_TYPE}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 'taxii'],
    ['two Content-Length values', 'POST /api/submissions HTTP/1.1\r\nHost: hub\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 'json'],
    ['a control character in a header value', 'GET /admin/api/whoami HTTP/1.1\r\nHost: hub\r\nX-Bad: a\u0001b\r\n\r\n', 'json'],
    ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', 'json'],
  ] as const)('%s', async (_name, request, form) => {
    expectAnswer(await exchange(hub, request), form, 'BAD_REQUEST', /^The request is not valid HTTP\/1\.1: .+/);
  });

  test('nothing of a refused POST is stored', async () => {
    const id = 'indicator--0f4d2b7a-5c3e-4e1f-9a8b-7c6d5e4f3a2b';
    const object = JSON.stringify({ objects: [{ type: 'indicator', spec_version: '2.1', id, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z' }] });
    const request = `POST ${OBJECTS} HTTP/1.1\r\nHost: hub\r\nAuthorization: ${ALICE}\r\nContent-Type: ${TAXII_MEDIA_TYPE}\r\nContent-Length: ${object.length}\r\nTransfer-Encoding: chunked\r\n\r\n${object}`;
    expectAnswer(await exchange(hub, request), 'taxii', 'BAD_REQUEST', /^The request is not valid HTTP\/1\.1/);
    const { rows } = await hub.database.query('SELECT 1 FROM stix_objects WHERE id = $1', [id]);
    expect(rows).toEqual([]);
  });
});

describe('a client too slow to send its request: 408', () => {
  // The hub's server with Node's timeouts shortened (by default 60 s for the headers).
  let server: http.Server;
  beforeAll(async () => {
    server = http.createServer({ headersTimeout: 100, requestTimeout: 100, connectionsCheckingInterval: 20 }, (_req, res) => res.end());
    answerClientErrors(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('headers that never end get the JSON error (the path is not known then)', async () => {
    const answer = await exchange({ port: (server.address() as AddressInfo).port }, 'GET /taxii2/ HTTP/1.1\r\nHost: hub\r\n');
    expectAnswer(answer, 'json', 'REQUEST_TIMEOUT', 'The request was not received in time');
  });
});
