import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { TAXII_MEDIA_TYPE } from '../../../src/http/taxii21/media-types';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';

/**
 * The body of TAXII 2.1 Add Objects: its media type (415), its size against the API root's
 * max_content_length counted on the raw bytes (413), JSON (400) and envelope shape (422).
 */

const LIMIT = 1000;
const SMALL = '/small/collections/tiny/objects/';
const OBJECTS = '/demo/collections/acme-internal/objects/';

let hub: DemoConfigHub;
beforeAll(async () => {
  hub = await startDemoConfigHub();
  // A second API root with a small max_content_length, and a collection of the ACME group in it.
  await hub.store.apiRoots.insert({ id: 'small', title: 'Small', description: null, maxContentLength: LIMIT, managedBy: 'admin' });
  await hub.store.collections.insert({
    id: randomUUID(), apiRootId: 'small', alias: 'tiny', title: 'Tiny', description: null,
    owner: { kind: 'trust-group', id: 'acme-tree' }, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin',
  });
});
afterAll(() => hub.close());

// A listening server, for requests supertest cannot make (chunked bodies, raw bytes with a JSON media type).
let server: http.Server;
beforeAll(async () => {
  server = http.createServer(hub.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface RawResponse {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** POSTs the chunks as bob, chunked (no Content-Length). */
function postHttp(path: string, chunks: readonly (string | Buffer)[]): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      path,
      method: 'POST',
      headers: { Authorization: demoAuth('bob'), Accept: TAXII_MEDIA_TYPE, 'Content-Type': TAXII_MEDIA_TYPE, 'Transfer-Encoding': 'chunked' },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

function indicator(): Record<string, unknown> {
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z',
    pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z',
  };
}

/** A valid envelope of exactly `size` bytes (padded with JSON whitespace). */
function envelopeOfSize(size: number): string {
  const base = JSON.stringify({ objects: [indicator()] });
  if (Buffer.byteLength(base) > size) throw new Error('size too small for an envelope');
  return base + ' '.repeat(size - Buffer.byteLength(base));
}

const postRaw = (body: string, contentType: string | undefined, path = OBJECTS) => {
  const req = request(hub.app).post(path).set('Authorization', demoAuth('bob')).set('Accept', TAXII_MEDIA_TYPE);
  if (contentType !== undefined) req.set('Content-Type', contentType);
  return req.send(body);
};
const json = (res: request.Response): Record<string, unknown> => JSON.parse(res.text) as Record<string, unknown>;

function expectTaxiiError(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
  expect(json(res)).toMatchObject({ error_code: code, http_status: String(status) });
}

describe('POST objects: Content-Type', () => {
  test.each(['application/json', 'text/plain', 'application/stix+json;version=2.1', 'application/taxii+json;version=2.0', 'application/taxii+json;charset=latin1'])(
    '%s: 415',
    async (contentType) => {
      expectTaxiiError(await postRaw(JSON.stringify({ objects: [indicator()] }), contentType), 415, 'UNSUPPORTED_MEDIA_TYPE');
    },
  );

  test('no Content-Type: 415', async () => {
    const res = await request(hub.app).post(OBJECTS).set('Authorization', demoAuth('bob')).send(Buffer.from(JSON.stringify({ objects: [indicator()] })));
    expectTaxiiError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test.each(['application/taxii+json;version=2.1', 'application/taxii+json', 'application/taxii+json; version=2.1; charset=utf-8', 'Application/TAXII+JSON ; Version="2.1";charset=UTF-8'])(
    '%s: accepted',
    async (contentType) => {
      const res = await postRaw(JSON.stringify({ objects: [indicator()] }), contentType);
      expect(res.status).toBe(202);
      expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    },
  );

  test('a compressed body: 415', async () => {
    const res = await postRaw(JSON.stringify({ objects: [indicator()] }), TAXII_MEDIA_TYPE).set('Content-Encoding', 'gzip');
    expectTaxiiError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe("POST objects: the API root's max_content_length", () => {
  test('a body of exactly max_content_length bytes is accepted', async () => {
    const res = await postRaw(envelopeOfSize(LIMIT), TAXII_MEDIA_TYPE, SMALL);
    expect(res.status).toBe(202);
    expect(json(res)).toMatchObject({ success_count: 1 });
  });

  test('one byte more: 413', async () => {
    expectTaxiiError(await postRaw(envelopeOfSize(LIMIT + 1), TAXII_MEDIA_TYPE, SMALL), 413, 'PAYLOAD_TOO_LARGE');
  });

  test('the limit is per API root: the same body fits the demo root', async () => {
    expect((await postRaw(envelopeOfSize(LIMIT + 1), TAXII_MEDIA_TYPE)).status).toBe(202);
  });

  describe('a chunked body (no Content-Length) is counted as it arrives', () => {
    const split = (text: string) => [text.slice(0, 400), text.slice(400, 800), text.slice(800)];

    test('exactly at the limit: accepted', async () => {
      expect((await postHttp(SMALL, split(envelopeOfSize(LIMIT)))).status).toBe(202);
    });

    test('one byte over: 413 as a TAXII error', async () => {
      const res = await postHttp(SMALL, split(envelopeOfSize(LIMIT + 1)));
      expect(res.status).toBe(413);
      expect(res.contentType).toBe('application/taxii+json;version=2.1');
      expect(JSON.parse(res.body)).toMatchObject({ error_code: 'PAYLOAD_TOO_LARGE', http_status: '413' });
    });
  });
});

describe('POST objects: the body', () => {
  test('malformed JSON: 400', async () => {
    expectTaxiiError(await postRaw('{"objects": [', TAXII_MEDIA_TYPE), 400, 'BAD_REQUEST');
  });

  test('bytes that are not UTF-8: 400', async () => {
    const res = await postHttp(OBJECTS, [Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])]);
    expect(res.status).toBe(400);
    expect(res.contentType).toBe('application/taxii+json;version=2.1');
    expect(JSON.parse(res.body)).toMatchObject({ error_code: 'BAD_REQUEST', description: 'The request body is not UTF-8 text' });
  });

  test.each([
    ['no objects list', {}],
    ['objects is not a list', { objects: { type: 'indicator' } }],
    ['an empty objects list', { objects: [] }],
    ['a JSON array', [indicator()]],
    ['a JSON string', 'objects'],
  ])('%s: 422', async (_name, body) => {
    expectTaxiiError(await postRaw(JSON.stringify(body), TAXII_MEDIA_TYPE), 422, 'UNPROCESSABLE');
  });

  test('an object that is not a JSON object fails on its own; the request still succeeds', async () => {
    const valid = indicator();
    const res = await postRaw(JSON.stringify({ objects: [valid, 'not an object'] }), TAXII_MEDIA_TYPE);
    expect(res.status).toBe(202);
    expect(json(res)).toMatchObject({ success_count: 1, failure_count: 1, failures: [{ id: '', message: '(root): must be a JSON object' }] });
  });
});
