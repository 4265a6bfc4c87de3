import express, { type RequestHandler } from 'express';
import request from 'supertest';
import { hubError } from '../../../src/domain/errors';
import type { Principal } from '../../../src/domain/principal';
import { renderStatusMessage } from '../../../src/domain/taxii11';
import { createLogger } from '../../../src/http/ops/logging';
import { discoveryHandler } from '../../../src/http/taxii11/discovery-handler';
import { createTaxii11Router, type Taxii11Handlers } from '../../../src/http/taxii11/taxii11-router';
import { parseXml } from '../../../src/http/taxii11/xml/safe-xml-parser';
import { attributeOf, childElements, childNamed, textOf, type XmlElement } from '../../../src/domain/xml/xml-element';

/**
 * The TAXII 1.1 HTTP edge on its own: headers, authentication, the safe parse, dispatch by namespace
 * and service, and every failure as a Status_Message in HTTP 200 (HTTP binding §4). The services
 * behind it are replaced by handlers of the test's own.
 */

const NS = 'http://taxii.mitre.org/messages/taxii_xml_binding-1.1';
const NS10 = 'http://taxii.mitre.org/messages/taxii_xml_binding-1';
const TAXII_HEADERS = {
  'Content-Type': 'application/xml',
  Accept: 'application/xml',
  'X-TAXII-Content-Type': 'urn:taxii.mitre.org:message:xml:1.1',
  'X-TAXII-Accept': 'urn:taxii.mitre.org:message:xml:1.1',
  'X-TAXII-Services': 'urn:taxii.mitre.org:services:1.1',
  'X-TAXII-Protocol': 'urn:taxii.mitre.org:protocol:http:1.0',
};

const alice: Principal = { userId: 'u1', username: 'alice', organizationId: 'acme', roles: new Set(['consumer', 'provider']), via: 'basic' };

/** Basic alice:pw is alice; anything else is refused as the real authenticator refuses. */
const authenticate: RequestHandler = (req, _res, next) => {
  if (req.get('authorization') === `Basic ${Buffer.from('alice:pw').toString('base64')}`) {
    req.user = alice;
    next();
  } else next(hubError('AUTHENTICATION_REQUIRED', 'Authentication required'));
};

const refuse = async (): Promise<string> => {
  throw new Error('not reached');
};
const handlers: Taxii11Handlers = {
  discovery: discoveryHandler({ list: async () => [{ canRead: true, canWrite: false }] }),
  'collection-information': refuse,
  'subscription-management': refuse,
  poll: async () => {
    throw hubError('NOT_FOUND', { description: 'There is no collection x', statusDetails: [{ name: 'ITEM', value: 'x' }] });
  },
  'poll-fulfillment': refuse,
  inbox: async ({ message, messageId, version }) => renderStatusMessage({ messageId, inResponseTo: message.messageId, statusType: 'SUCCESS' }, version),
};

function app(publicUrl?: string) {
  const a = express();
  a.use((req, _res, next) => {
    req.log = createLogger('silent');
    next();
  });
  a.use(createTaxii11Router({ authenticate, handlers, publicUrl, bodyLimitBytes: 64 * 1024 }));
  return a;
}

const post = (path: string, body: string, headers: Record<string, string> = TAXII_HEADERS, auth = 'alice:pw') =>
  request(app())
    .post(path)
    .set(headers)
    .set('Authorization', `Basic ${Buffer.from(auth).toString('base64')}`)
    .send(body);

function xml(text: string): XmlElement {
  const parsed = parseXml(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.root;
}

/** The status_type, in_response_to, details and message of a Status_Message answer. */
function statusOf(text: string) {
  const root = xml(text);
  expect(root.local).toBe('Status_Message');
  const details = childElements(childNamed(root, root.uri, 'Status_Detail') ?? { ...root, children: [] }).map((d) => [attributeOf(d, 'name'), textOf(d)]);
  const message = childNamed(root, root.uri, 'Message');
  return { namespace: root.uri, type: attributeOf(root, 'status_type'), inResponseTo: attributeOf(root, 'in_response_to'), details, message: message ? textOf(message) : undefined };
}

const discovery = `<taxii_11:Discovery_Request xmlns:taxii_11="${NS}" message_id="m-1"/>`;

describe('the TAXII 1.1 HTTP edge', () => {
  test('H-02, D-04: a discovery answer carries the TAXII headers and the four services at the public address', async () => {
    const res = await request(app('https://hub.example.org/'))
      .post('/taxii1/discovery')
      .set(TAXII_HEADERS)
      .set('Authorization', `Basic ${Buffer.from('alice:pw').toString('base64')}`)
      .send(discovery);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(res.headers['x-taxii-content-type']).toBe('urn:taxii.mitre.org:message:xml:1.1');
    expect(res.headers['x-taxii-services']).toBe('urn:taxii.mitre.org:services:1.1');
    expect(res.headers['x-taxii-protocol']).toBe('urn:taxii.mitre.org:protocol:https:1.0');
    const root = xml(res.text);
    expect(root).toMatchObject({ uri: NS, local: 'Discovery_Response' });
    expect(attributeOf(root, 'in_response_to')).toBe('m-1');
    const services = childElements(root).map((s) => [attributeOf(s, 'service_type'), textOf(childNamed(s, NS, 'Address') as XmlElement), attributeOf(s, 'available')]);
    expect(services).toEqual([
      ['DISCOVERY', 'https://hub.example.org/taxii1/discovery', 'true'],
      ['COLLECTION_MANAGEMENT', 'https://hub.example.org/taxii1/collection-management', 'true'],
      ['POLL', 'https://hub.example.org/taxii1/poll', 'true'],
      ['INBOX', 'https://hub.example.org/taxii1/inbox', 'false'],
    ]);
  });

  test('a TAXII 1.0 discovery request is answered in TAXII 1.0', async () => {
    const res = await post('/taxii1/discovery', `<Discovery_Request xmlns="${NS10}" message_id="1010"/>`, { ...TAXII_HEADERS, 'X-TAXII-Content-Type': 'urn:taxii.mitre.org:message:xml:1.0', 'X-TAXII-Services': 'urn:taxii.mitre.org:services:1.0' });
    expect(res.status).toBe(200);
    expect(res.headers['x-taxii-content-type']).toBe('urn:taxii.mitre.org:message:xml:1.0');
    expect(xml(res.text)).toMatchObject({ uri: NS10, local: 'Discovery_Response' });
  });

  test('H-08: wrong credentials are a Status_Message UNAUTHORIZED in HTTP 200, before the body is read', async () => {
    const res = await post('/taxii1/poll', '<not-even-xml', TAXII_HEADERS, 'alice:wrong');
    expect(res.status).toBe(200);
    expect(statusOf(res.text)).toMatchObject({ namespace: NS, type: 'UNAUTHORIZED', inResponseTo: '0' });
  });

  test('H-01: a method other than POST is 405 with Allow: POST', async () => {
    const res = await request(app()).get('/taxii1/poll');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(statusOf(res.text).type).toBe('BAD_MESSAGE');
  });

  test('a service error keeps its Status_Detail and names the request it answers', async () => {
    const res = await post('/taxii1/poll', `<taxii_11:Poll_Request xmlns:taxii_11="${NS}" message_id="p-7" collection_name="x"><taxii_11:Poll_Parameters/></taxii_11:Poll_Request>`);
    expect(res.status).toBe(200);
    expect(statusOf(res.text)).toEqual({ namespace: NS, type: 'NOT_FOUND', inResponseTo: 'p-7', details: [['ITEM', 'x']], message: 'There is no collection x' });
  });

  test.each([
    ['a DOCTYPE (billion laughs)', '<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><l>&b;</l>', 'BAD_MESSAGE', /document type declaration/],
    ['an external entity', `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><taxii_11:Discovery_Request xmlns:taxii_11="${NS}" message_id="m">&e;</taxii_11:Discovery_Request>`, 'BAD_MESSAGE', /document type declaration/],
    ['not XML', 'hello', 'BAD_MESSAGE', /not well-formed/],
    ['an empty body', '', 'BAD_MESSAGE', /no body/],
    ['a message in no TAXII namespace', '<Discovery_Request message_id="m"/>', 'BAD_MESSAGE', /./],
    ['a poll request sent to discovery', `<taxii_11:Poll_Request xmlns:taxii_11="${NS}" message_id="m-2" collection_name="c"><taxii_11:Poll_Parameters/></taxii_11:Poll_Request>`, 'UNSUPPORTED_MESSAGE', /DISCOVERY service .* takes discovery requests, not poll/],
  ])('refuses %s with a Status_Message', async (_name, body, type, message) => {
    const res = await post('/taxii1/discovery', body);
    expect(res.status).toBe(200);
    const status = statusOf(res.text);
    expect(status.type).toBe(type);
    expect(status.message).toMatch(message);
  });

  test.each([
    ['Content-Type', { 'Content-Type': 'application/json' }, 'UNSUPPORTED_MESSAGE', 'SUPPORTED_BINDING'],
    ['X-TAXII-Content-Type', { 'X-TAXII-Content-Type': 'urn:taxii.mitre.org:message:json:1.1' }, 'UNSUPPORTED_MESSAGE', 'SUPPORTED_BINDING'],
    ['X-TAXII-Accept', { 'X-TAXII-Accept': 'urn:example:other' }, 'UNSUPPORTED_MESSAGE', 'SUPPORTED_BINDING'],
    ['X-TAXII-Protocol', { 'X-TAXII-Protocol': 'urn:taxii.mitre.org:protocol:smtp:1.0' }, 'UNSUPPORTED_PROTOCOL', 'SUPPORTED_PROTOCOL'],
  ])('H-04..H-06: a %s the hub does not speak is refused with the supported values', async (_name, headers, type, detail) => {
    const res = await post('/taxii1/discovery', discovery, { ...TAXII_HEADERS, ...headers });
    const status = statusOf(res.text);
    expect(status.type).toBe(type);
    expect(status.details.length).toBeGreaterThan(0);
    expect(status.details.every(([name]) => name === detail)).toBe(true);
  });

  test('MT-06: a body over the limit is refused as a bad message', async () => {
    const res = await post('/taxii1/inbox', `<taxii_11:Inbox_Message xmlns:taxii_11="${NS}" message_id="m">${' '.repeat(70 * 1024)}</taxii_11:Inbox_Message>`);
    expect(res.status).toBe(200);
    expect(statusOf(res.text)).toMatchObject({ type: 'BAD_MESSAGE', message: expect.stringMatching(/larger than the limit/) });
  });

  test('headers are optional: a bare POST with a TAXII body is served', async () => {
    const res = await request(app()).post('/taxii1/inbox').set('Authorization', `Basic ${Buffer.from('alice:pw').toString('base64')}`).set('Content-Type', 'text/xml').send(`<Inbox_Message xmlns="${NS}" message_id="i-1"/>`);
    expect(statusOf(res.text)).toMatchObject({ type: 'SUCCESS', inResponseTo: 'i-1' });
  });
});
