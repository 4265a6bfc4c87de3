import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { attributeOf, childElements, childNamed, childrenNamed, textOf, type XmlElement } from '../../../src/domain/xml/xml-element';
import { HEADERS, NS, inboxMessage, stixPackage, xml } from './support/taxii11-messages';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';

/**
 * TAXII 1.1 end to end on the demo configuration: what cabby and libtaxii do (discovery, collection
 * information, inbox, poll), with per-object access decided as TAXII 2.1 decides it.
 */





const poll = (collection: string, responseType = 'FULL') =>
  `<taxii_11:Poll_Request xmlns:taxii_11="${NS}" message_id="${randomUUID()}" collection_name="${collection}"><taxii_11:Poll_Parameters allow_asynch="false"><taxii_11:Response_Type>${responseType}</taxii_11:Response_Type></taxii_11:Poll_Parameters></taxii_11:Poll_Request>`;

describe('TAXII 1.1 on the demo configuration', () => {
  let hub: DemoConfigHub;
  beforeAll(async () => {
    hub = await startDemoConfigHub();
  });
  afterAll(() => hub.close());

  const send = (user: string, path: string, body: string) => request(hub.app).post(path).set(HEADERS).set('Authorization', demoAuth(user)).send(body);

  test('C-02: each caller sees its own collections, by alias, with where to poll and (only when it may write) where to push', async () => {
    const res = await send('carol', '/taxii1/collection-management', `<taxii_11:Collection_Information_Request xmlns:taxii_11="${NS}" message_id="c-1"/>`);
    const root = xml(res.text);
    expect(root.local).toBe('Collection_Information_Response');
    const collections = childrenNamed(root, NS, 'Collection');
    expect(collections.map((c) => attributeOf(c, 'collection_name'))).toEqual(['acme-internal']);
    const acme = collections[0] as XmlElement;
    expect(attributeOf(acme, 'collection_type')).toBe('DATA_FEED');
    expect(childNamed(acme, NS, 'Polling_Service')).toBeDefined();
    expect(childNamed(acme, NS, 'Receiving_Inbox_Service')).toBeUndefined(); // carol is a consumer only
    expect(childrenNamed(acme, NS, 'Content_Binding').map((b) => attributeOf(b, 'binding_id'))).toEqual(['urn:stix.mitre.org:xml:1.2', 'urn:stix.mitre.org:xml:1.1.1']);
  });

  test('a sibling branch never receives nor counts an AMBER indicator another branch pushed; the head office does', async () => {
    const pushed = await send('bob', '/taxii1/inbox', inboxMessage('acme-internal', stixPackage('203.0.113.77', 'AMBER')));
    const status = xml(pushed.text);
    expect(attributeOf(status, 'status_type')).toBe('SUCCESS');

    const asHq = xml((await send('alice', '/taxii1/poll', poll('acme-internal'))).text);
    expect(asHq.local).toBe('Poll_Response');
    const blocks = childrenNamed(asHq, NS, 'Content_Block');
    const contents = blocks.map((b) => childElements(childNamed(b, NS, 'Content') as XmlElement)[0] as XmlElement);
    expect(contents.some((c) => JSON.stringify(c).includes('203.0.113.77'))).toBe(true);
    expect(childNamed(asHq, NS, 'Inclusive_End_Timestamp')).toBeDefined();

    const asSibling = xml((await send('carol', '/taxii1/poll', poll('acme-internal'))).text);
    expect(JSON.stringify(asSibling)).not.toContain('203.0.113.77');
    const siblingCount = xml((await send('carol', '/taxii1/poll', poll('acme-internal', 'COUNT_ONLY'))).text);
    const hqCount = xml((await send('alice', '/taxii1/poll', poll('acme-internal', 'COUNT_ONLY'))).text);
    const count = (root: XmlElement) => Number(textOf(childNamed(root, NS, 'Record_Count') as XmlElement));
    expect(count(hqCount)).toBe(count(siblingCount) + 1);
  });

  test('an API key works as a password does, and a wrong one is UNAUTHORIZED', async () => {
    const created = await request(hub.app).post('/admin/api/users/carol/api-keys').set('Authorization', demoAuth('operator')).send({ name: 'siem poller' });
    expect(created.status).toBe(201);
    const { token } = created.body as { token: string };
    const poll1 = (auth: string) => request(hub.app).post('/taxii1/poll').set(HEADERS).set('Authorization', auth).send(poll('acme-internal', 'COUNT_ONLY'));
    expect(xml((await poll1(`Bearer ${token}`)).text).local).toBe('Poll_Response');
    const refused = xml((await poll1(`Bearer ${token.slice(0, -2)}xx`)).text);
    expect(attributeOf(refused, 'status_type')).toBe('UNAUTHORIZED');
  });

  test('a subscription without push parameters is polled by its id, by its organization only', async () => {
    const subscribed = xml((await send('carol', '/taxii1/collection-management', `<taxii_11:Subscription_Management_Request xmlns:taxii_11="${NS}" message_id="s-1" collection_name="acme-internal" action="SUBSCRIBE"><taxii_11:Subscription_Parameters><taxii_11:Response_Type>COUNT_ONLY</taxii_11:Response_Type></taxii_11:Subscription_Parameters></taxii_11:Subscription_Management_Request>`)).text);
    const id = textOf(childNamed(childNamed(subscribed, NS, 'Subscription') as XmlElement, NS, 'Subscription_ID') as XmlElement);
    const byId = (user: string) => send(user, '/taxii1/poll', `<taxii_11:Poll_Request xmlns:taxii_11="${NS}" message_id="p-s" collection_name="acme-internal"><taxii_11:Subscription_ID>${id}</taxii_11:Subscription_ID></taxii_11:Poll_Request>`);
    const polled = xml((await byId('carol')).text);
    expect(polled.local).toBe('Poll_Response');
    expect(textOf(childNamed(polled, NS, 'Subscription_ID') as XmlElement)).toBe(id);
    expect(childrenNamed(polled, NS, 'Content_Block')).toEqual([]); // the subscription asked for counts only
    expect(childNamed(polled, NS, 'Record_Count')).toBeDefined();
    expect(attributeOf(xml((await byId('alice')).text), 'status_type')).toBe('NOT_FOUND');
  });

  test('an unknown collection is NOT_FOUND with the name as ITEM, whether or not another tenant has it', async () => {
    for (const name of ['no-such-feed', 'alliance-exchange']) {
      const root = xml((await send('carol', '/taxii1/poll', poll(name))).text);
      expect(attributeOf(root, 'status_type')).toBe('NOT_FOUND');
      expect(textOf(childElements(childNamed(root, NS, 'Status_Detail') as XmlElement)[0] as XmlElement)).toBe(name);
    }
  });
});
