import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { attributeOf, childNamed, childrenNamed, textOf, type XmlElement } from '../../../src/domain/xml/xml-element';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics } from '../../../src/http/ops/metrics';
import { composeHub, type ComposedHub } from '../../../src/hub-composition';
import type { Database } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../../support/demo-config';
import { openTestDatabase } from '../../support/test-databases';
import { HEADERS, NS, inboxMessage, stixPackage, xml } from './support/taxii11-messages';
import { demoAuth } from '../support/demo-config-hub';

/**
 * Subscriptions with pushes, end to end through the hub as `serve` composes it: a consumer subscribes
 * over TAXII 1.1 with its inbox as push address (allow-listed by the operator for its organization),
 * providers share through the TAXII 1.1 inbox, and the delivery engine pushes what the consumer may
 * read, decided per record at delivery time.
 */





/** A subscriber's inbox on loopback: keeps every pushed body, answers SUCCESS. */
function startReceiver() {
  const bodies: string[] = [];
  let arrived: (() => void) | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.setHeader('Content-Type', 'application/xml');
      res.setHeader('X-TAXII-Content-Type', 'urn:taxii.mitre.org:message:xml:1.1');
      res.end(`<taxii_11:Status_Message xmlns:taxii_11="${NS}" message_id="r-${bodies.length}" in_response_to="x" status_type="SUCCESS"/>`);
      arrived?.();
    });
  });
  return {
    bodies,
    listening: new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/inbox`))),
    /** Resolves once a pushed body satisfies `test` (bounded by the jest timeout). */
    until: (test: (body: string) => boolean) =>
      new Promise<string>((resolve) => {
        const check = () => {
          const found = bodies.find(test);
          if (found !== undefined) resolve(found);
          else arrived = check;
        };
        check();
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('TAXII 1.1 subscriptions pushed by the delivery engine', () => {
  let db: Database;
  let hub: ComposedHub;
  const receiver = startReceiver();

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    const store = createSqlTenancyStore(db);
    const config = await applyDemoConfig(store);
    const west = await store.organizations.get('acme-west');
    if (!west) throw new Error('no acme-west');
    await store.organizations.update({ ...west, deliveryAllowList: ['127.0.0.1/32'] });
    hub = composeHub({ db, store, hub: config.hub, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
    hub.delivery.start();
  });
  afterAll(async () => {
    await hub.delivery.stop();
    await receiver.close();
    await db.close();
  });

  const send = (user: string, path: string, body: string) => request(hub.app).post(path).set(HEADERS).set('Authorization', demoAuth(user)).send(body);

  test("a branch's pushes carry what it may read, not its sibling's AMBER indicator, and STATUS tells where delivery stands", async () => {
    const address = await receiver.listening;
    const subscribe = `<taxii_11:Subscription_Management_Request xmlns:taxii_11="${NS}" message_id="s-1" collection_name="acme-internal" action="SUBSCRIBE">
      <taxii_11:Subscription_Parameters><taxii_11:Response_Type>FULL</taxii_11:Response_Type></taxii_11:Subscription_Parameters>
      <taxii_11:Push_Parameters><taxii_11:Protocol_Binding>urn:taxii.mitre.org:protocol:http:1.0</taxii_11:Protocol_Binding><taxii_11:Address>${address}</taxii_11:Address><taxii_11:Message_Binding>urn:taxii.mitre.org:message:xml:1.1</taxii_11:Message_Binding></taxii_11:Push_Parameters>
    </taxii_11:Subscription_Management_Request>`;
    const answer = xml((await send('carol', '/taxii1/collection-management', subscribe)).text);
    expect(answer.local).toBe('Subscription_Management_Response');
    const subscription = childNamed(answer, NS, 'Subscription') as XmlElement;
    expect(attributeOf(subscription, 'status')).toBe('ACTIVE');
    expect(childNamed(subscription, NS, 'Push_Parameters')).toBeDefined();
    const id = textOf(childNamed(subscription, NS, 'Subscription_ID') as XmlElement);

    // The sibling's AMBER indicator first, then the head office's: once the latter arrives, the cursor has passed the former.
    expect(attributeOf(xml((await send('bob', '/taxii1/inbox', inboxMessage('acme-internal', stixPackage('198.51.100.61', 'AMBER')))).text), 'status_type')).toBe('SUCCESS');
    expect(attributeOf(xml((await send('alice', '/taxii1/inbox', inboxMessage('acme-internal', stixPackage('198.51.100.62', 'AMBER')))).text), 'status_type')).toBe('SUCCESS');
    const pushed = xml(await receiver.until((body) => body.includes('198.51.100.62')));
    expect(pushed.local).toBe('Inbox_Message');
    const source = childNamed(pushed, NS, 'Source_Subscription') as XmlElement;
    expect(attributeOf(source, 'collection_name')).toBe('acme-internal');
    expect(textOf(childNamed(source, NS, 'Subscription_ID') as XmlElement)).toBe(id);
    expect(childrenNamed(pushed, NS, 'Content_Block').length).toBeGreaterThan(0);
    expect(receiver.bodies.join('')).not.toContain('198.51.100.61');

    const status = xml((await send('carol', '/taxii1/collection-management', `<taxii_11:Subscription_Management_Request xmlns:taxii_11="${NS}" message_id="s-2" collection_name="acme-internal" action="STATUS"/>`)).text);
    expect(childrenNamed(status, NS, 'Subscription').map((s) => textOf(childNamed(s, NS, 'Subscription_ID') as XmlElement))).toEqual([id]);
    expect(textOf(childNamed(status, NS, 'Message') as XmlElement)).toMatch(/last delivery 20\d\d-/);
  });

  test('operators see every subscription with where its delivery stands in the admin API', async () => {
    const res = await request(hub.app).get('/admin/api/subscriptions').set('Authorization', demoAuth('operator'));
    expect(res.status).toBe(200);
    const body = res.body as { subscriptions: { organization_id?: string; organizationId?: string; delivery?: Record<string, unknown> }[] };
    expect(body.subscriptions).toHaveLength(1);
    expect(JSON.stringify(body.subscriptions[0])).toContain('acme-west');
    expect(JSON.stringify(body.subscriptions[0])).toMatch(/last_success_at"?:"20\d\d-|lastSuccessAt"?:"20\d\d-/);
  });

  test('the admin list filters by collection id or alias', async () => {
    const list = async (collection: string) =>
      ((await request(hub.app).get(`/admin/api/subscriptions?collection=${collection}`).set('Authorization', demoAuth('operator'))).body as { subscriptions: unknown[] }).subscriptions.length;
    expect(await list('acme-internal')).toBe(1);
    expect(await list(DEMO_COLLECTIONS.acmeInternal)).toBe(1);
    expect(await list('isac-feed')).toBe(0);
  });

  test('another organization neither sees nor can poll a subscription', async () => {
    const status = xml((await send('alice', '/taxii1/collection-management', `<taxii_11:Subscription_Management_Request xmlns:taxii_11="${NS}" message_id="s-3" collection_name="acme-internal" action="STATUS"/>`)).text);
    expect(childrenNamed(status, NS, 'Subscription')).toEqual([]);
  });

  test('a push address off the allow-list is refused at subscribe time, naming the allow-list', async () => {
    const subscribe = `<taxii_11:Subscription_Management_Request xmlns:taxii_11="${NS}" message_id="s-4" collection_name="acme-internal" action="SUBSCRIBE">
      <taxii_11:Subscription_Parameters><taxii_11:Response_Type>FULL</taxii_11:Response_Type></taxii_11:Subscription_Parameters>
      <taxii_11:Push_Parameters><taxii_11:Protocol_Binding>urn:taxii.mitre.org:protocol:http:1.0</taxii_11:Protocol_Binding><taxii_11:Address>http://169.254.169.254/latest</taxii_11:Address><taxii_11:Message_Binding>urn:taxii.mitre.org:message:xml:1.1</taxii_11:Message_Binding></taxii_11:Push_Parameters>
    </taxii_11:Subscription_Management_Request>`;
    const answer = xml((await send('alice', '/taxii1/collection-management', subscribe)).text);
    expect(answer.local).toBe('Status_Message');
    expect(attributeOf(answer, 'status_type')).toBe('DENIED');
    expect(textOf(childNamed(answer, NS, 'Message') as XmlElement)).toMatch(/allow-list/);
  });
});
