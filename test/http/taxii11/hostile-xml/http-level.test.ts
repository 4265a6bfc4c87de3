import net from 'node:net';
import zlib from 'node:zlib';
import { demoAuth } from '../../support/demo-config-hub';
import {
  HEADERS,
  TAXII11_LIMIT,
  block,
  discovery,
  expectStatus,
  inbox,
  send,
  sendRaw,
  startTaxii11HostileHub,
  statusOf,
  stixPackage,
  storedRows,
  type Taxii11HostileHub,
} from './taxii11-hostile-hub';

/**
 * Group 3, HTTP-level hostile input on the TAXII 1.1 endpoints (H-01..H-08, MT-06): every answer is a
 * Status_Message, in HTTP 200 except a method other than POST (405 + Allow) and what Node's HTTP
 * parser refuses before express (400, Status_Message body); nothing is stored.
 */

let hub: Taxii11HostileHub;
beforeAll(async () => {
  hub = await startTaxii11HostileHub();
});
afterAll(() => hub.close());

const SUPPORTED_BINDINGS = [
  ['SUPPORTED_BINDING', 'urn:taxii.mitre.org:message:xml:1.1'],
  ['SUPPORTED_BINDING', 'urn:taxii.mitre.org:message:xml:1.0'],
];

describe('methods other than POST: 405 with Allow: POST and a Status_Message', () => {
  test.each(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s', async (method) => {
    const answer = await send(hub, '/taxii1/inbox', method === 'GET' || method === 'OPTIONS' ? '' : inbox('m-1', block(stixPackage('198.51.100.60'))), { method });
    expect(answer.headers.allow).toBe('POST');
    expectStatus(answer, { http: 405, type: 'BAD_MESSAGE', message: new RegExp(`^TAXII 1\\.1 services take POST only \\(HTTP binding §3\\), not ${method}$`), inResponseTo: '0' });
  });
});

describe('headers that name what the hub does not speak', () => {
  test.each([
    ['Content-Type application/json', { 'Content-Type': 'application/json' }, /^TAXII 1\.1 messages are XML: send Content-Type: application\/xml \(not application\/json\)$/],
    ['Content-Type text/plain', { 'Content-Type': 'text/plain' }, /\(not text\/plain\)$/],
    ['Content-Type multipart/form-data', { 'Content-Type': 'multipart/form-data; boundary=x' }, /\(not multipart\/form-data; boundary=x\)$/],
    ['X-TAXII-Content-Type garbage', { 'X-TAXII-Content-Type': '<script>alert(1)</script>' }, /^X-TAXII-Content-Type <script>alert\(1\)<\/script> is not a message binding this hub speaks$/],
    ['X-TAXII-Accept garbage', { 'X-TAXII-Accept': 'urn:a urn:b' }, /^X-TAXII-Accept names no message binding this hub speaks \(urn:a urn:b\)$/],
    ['X-TAXII-Services with Latin-1 bytes', { 'X-TAXII-Services': 'é\u00ff<&>' }, /^X-TAXII-Services é\u00ff<&> is not a TAXII services version this hub speaks/],
  ])('%s: UNSUPPORTED_MESSAGE with the supported bindings, before the body is read', async (_name, headers, message) => {
    const before = await storedRows(hub.db);
    const status = expectStatus(await send(hub, '/taxii1/inbox', inbox('h-1', block(stixPackage('198.51.100.61'))), { headers: { ...HEADERS, ...headers } }), { type: 'UNSUPPORTED_MESSAGE', message, inResponseTo: '0' });
    expect(status.details).toEqual(SUPPORTED_BINDINGS);
    expect(await storedRows(hub.db)).toEqual(before);
  });

  test('X-TAXII-Protocol garbage: UNSUPPORTED_PROTOCOL with the supported protocols', async () => {
    const status = expectStatus(await send(hub, '/taxii1/discovery', discovery('h-2'), { headers: { ...HEADERS, 'X-TAXII-Protocol': 'gopher://x' } }), {
      type: 'UNSUPPORTED_PROTOCOL',
      message: /^X-TAXII-Protocol gopher:\/\/x is not a protocol binding this hub speaks$/,
      inResponseTo: '0',
    });
    expect(status.details.map(([name]) => name)).toEqual(['SUPPORTED_PROTOCOL', 'SUPPORTED_PROTOCOL']);
  });

  test.each([
    ['no credentials', ''],
    ['a wrong password', `Authorization: Basic ${Buffer.from('alice:nope').toString('base64')}\r\n`],
  ])('%s: UNAUTHORIZED before a byte of the (garbage) body is read', async (_name, authorization) => {
    const answer = await sendRaw(hub, `POST /taxii1/inbox HTTP/1.1\r\nHost: h\r\n${authorization}Content-Type: application/xml\r\nContent-Length: 8\r\nConnection: close\r\n\r\n<not xml`);
    expectStatus(answer, { type: 'UNAUTHORIZED', message: /./, inResponseTo: '0' });
  });
});

describe('bodies: size, encodings, framing', () => {
  test(`a body over the limit (${TAXII11_LIMIT} bytes): BAD_MESSAGE naming the limit, nothing stored`, async () => {
    const before = await storedRows(hub.db);
    const big = inbox('big-1', block(stixPackage('198.51.100.62'))).replace('<taxii_11:Content_Block>', `<!--${' '.repeat(TAXII11_LIMIT)}--><taxii_11:Content_Block>`);
    expectStatus(await send(hub, '/taxii1/inbox', big), { type: 'BAD_MESSAGE', message: new RegExp(`^The request body is larger than the limit of ${TAXII11_LIMIT} bytes$`), inResponseTo: '0' });
    expect(await storedRows(hub.db)).toEqual(before);
  });

  test.each([
    ['gzip', (b: Buffer) => zlib.gzipSync(b)],
    ['deflate', (b: Buffer) => zlib.deflateSync(b)],
    ['br', (b: Buffer) => zlib.brotliCompressSync(b)],
  ])('a %s bomb (64 MB of spaces in about 64 KB): the limit applies after inflation', async (encoding, compress) => {
    const bomb = compress(Buffer.concat([Buffer.from(inbox('gz-1', block(stixPackage('198.51.100.63'))).slice(0, -24)), Buffer.alloc(64 * 1024 * 1024, 0x20)]));
    expect(bomb.length).toBeLessThan(TAXII11_LIMIT / 16);
    const before = await storedRows(hub.db);
    expectStatus(await send(hub, '/taxii1/inbox', bomb, { headers: { ...HEADERS, 'Content-Encoding': encoding } }), { type: 'BAD_MESSAGE', message: new RegExp(`^The request body is larger than the limit of ${TAXII11_LIMIT} bytes$`), inResponseTo: '0' });
    expect(await storedRows(hub.db)).toEqual(before);
  });

  test('a gzip body that is not gzip: BAD_MESSAGE saying so', async () => {
    expectStatus(await send(hub, '/taxii1/discovery', Buffer.from(discovery('gz-2')), { headers: { ...HEADERS, 'Content-Encoding': 'gzip' } }), {
      type: 'BAD_MESSAGE',
      message: /^The request body is not gzip data, as its Content-Encoding says$/,
      inResponseTo: '0',
    });
  });

  test('a Content-Encoding the hub does not inflate: UNSUPPORTED_CONTENT', async () => {
    expectStatus(await send(hub, '/taxii1/discovery', Buffer.from(discovery('gz-3')), { headers: { ...HEADERS, 'Content-Encoding': 'compress' } }), {
      type: 'UNSUPPORTED_CONTENT',
      message: /^unsupported content encoding "compress"$/,
      inResponseTo: '0',
    });
  });

  test('a gzip body that is a message is inflated and served', async () => {
    const answer = await send(hub, '/taxii1/discovery', zlib.gzipSync(discovery('gz-4')), { headers: { ...HEADERS, 'Content-Encoding': 'gzip' } });
    expect(answer.text).toMatch(/<taxii_11:Discovery_Response [^>]*in_response_to="gz-4"/);
  });

  test('a control character in a header value: Node refuses it, the answer is still a Status_Message (400)', async () => {
    const answer = await sendRaw(hub, `POST /taxii1/discovery HTTP/1.1\r\nHost: h\r\nAuthorization: ${demoAuth('alice')}\r\nContent-Type: application/xml\r\nX-TAXII-Services: a\u0001b\r\nContent-Length: 5\r\n\r\nhello`);
    expect(answer.headers.connection).toBe('close');
    expectStatus(answer, { http: 400, type: 'BAD_MESSAGE', message: /^The request is not valid HTTP\/1\.1: Invalid header value char$/, inResponseTo: '0' });
  });

  // Node's parser sees the connection end before the announced body; its clientError answer names
  // the path from the bytes it failed on (none here), so the hub answers in its JSON form although
  // the request line (/taxii1/inbox) was read. See the report: src/http/errors/client-error.ts could
  // take the path from the request in flight (socket._httpMessage.req.url).
  test('a Content-Length larger than the body, then the end of the connection: nothing stored, a Status_Message', async () => {
    const before = await storedRows(hub.db);
    const body = inbox('cl-1', block(stixPackage('198.51.100.64')));
    const text = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(hub.port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.end(`POST /taxii1/inbox HTTP/1.1\r\nHost: h\r\nAuthorization: ${demoAuth('alice')}\r\nContent-Type: application/xml\r\nContent-Length: ${body.length + 1000}\r\n\r\n${body}`);
    });
    expect(await storedRows(hub.db)).toEqual(before);
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    const answerBody = text.slice(text.indexOf('\r\n\r\n') + 4);
    expect(statusOf({ status: 400, headers: {}, text: answerBody })).toMatchObject({ type: 'BAD_MESSAGE', inResponseTo: '0' });
  });
});
