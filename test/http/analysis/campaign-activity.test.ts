import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadMirror, syncMirror } from '../../../src/cli/match/mirror';
import type { SyncOptions } from '../../../src/cli/match/mirror/mirror-sync';
import { nowMicros } from '../../../src/domain/timestamps';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { openSse } from '../hub-api/stream-sse-client';
import { demoAuth } from '../support/demo-config-hub';
import { allowLoopbackDeliveries, DELIVERY_TEST_MS, startListeningDemoHub, type ListeningDemoHub } from '../support/listening-demo-hub';
import { startReceiver, type Receiver } from './campaign-activity-receiver';

/**
 * Early warning (issue 15 §3), as users meet it: three spear-phishing waves reuse a sender IP in the
 * ISAC's collection; when the third wave's sender IP comes in, the organizations that may read it and
 * what it joins hear of it on their webhooks — each with only the member ids it may read — and those
 * that may not read it, or read nothing else of the candidate, hear nothing. A submission that joins a
 * named campaign says so, on the stream and in /changes.
 */

const ISAC = DEMO_COLLECTIONS.isacFeed;
const ACME = DEMO_COLLECTIONS.acmeInternal;
const SENDER = '203.0.113.77';


const TAXII11_HEADERS = { 'Content-Type': 'application/xml', 'X-TAXII-Content-Type': 'urn:taxii.mitre.org:message:xml:1.1', 'X-TAXII-Services': 'urn:taxii.mitre.org:services:1.1' };
const TAXII11_NS = 'http://taxii.mitre.org/messages/taxii_xml_binding-1.1';
const subscribeMessage = (address: string) => `<taxii_11:Subscription_Management_Request xmlns:taxii_11="${TAXII11_NS}" message_id="s-1" collection_name="acme-internal" action="SUBSCRIBE">
  <taxii_11:Subscription_Parameters><taxii_11:Response_Type>FULL</taxii_11:Response_Type></taxii_11:Subscription_Parameters>
  <taxii_11:Push_Parameters><taxii_11:Protocol_Binding>urn:taxii.mitre.org:protocol:http:1.0</taxii_11:Protocol_Binding><taxii_11:Address>${address}</taxii_11:Address><taxii_11:Message_Binding>urn:taxii.mitre.org:message:xml:1.1</taxii_11:Message_Binding></taxii_11:Push_Parameters>
</taxii_11:Subscription_Management_Request>`;

/** A TAXII 1.1 inbox on loopback: keeps every pushed body, answers SUCCESS. */
async function startInbox() {
  const bodies: string[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.setHeader('Content-Type', 'application/xml');
      res.setHeader('X-TAXII-Content-Type', 'urn:taxii.mitre.org:message:xml:1.1');
      res.end(`<taxii_11:Status_Message xmlns:taxii_11="${TAXII11_NS}" message_id="r-${bodies.length}" in_response_to="x" status_type="SUCCESS"/>`);
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/inbox`,
    bodies,
    async until(test: (body: string) => boolean) {
      while (!bodies.some(test)) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(testEngines())('campaign activity through the delivery engine on %s', (engine) => {
  let hub: ListeningDemoHub;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    hub = await startListeningDemoHub(engine, {
      delivery: true,
      prepare: async (store) => {
        for (const org of ['acme-hq', 'vandelay', 'initech', 'globex-hq']) await allowLoopbackDeliveries(org)(store);
      },
    });
  });
  afterAll(async () => {
    for (const r of receivers) await r.close();
    await hub.close();
  });

  const api = async (username: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${hub.url}/api${path}`, {
      method,
      headers: { Authorization: demoAuth(username), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
  };
  /** Submits, then lets the analysis indexer key it (and announce what it joins) before returning the new ids. */
  const submit = async (username: string, body: Record<string, unknown>): Promise<string[]> => {
    const answer = await api(username, 'POST', '/submissions', { valid_from: new Date().toISOString(), ...body });
    expect(answer.status).toBe(200);
    const ids = (answer.body.indicators as { id: string; outcome: string }[]).map((i) => {
      expect(i.outcome).toBe('created');
      return i.id;
    });
    await hub.composed.analysis.indexer.catchUp();
    await hub.composed.analysis.indexer.heard();
    return ids;
  };
  const webhook = async (username: string, collection: string, extra: Record<string, unknown> = {}) => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const registered = await api(username, 'POST', '/webhooks', { collection, url: receiver.url, ...extra });
    expect(registered.status).toBe(201);
    receiver.setSecret(String(registered.body.secret));
    return receiver;
  };
  const noticeOf = (receiver: Receiver, indicatorId: string) => receiver.notices().find((e) => e.object_id === indicatorId);

  test('the third wave joins a candidate: the first wave’s provider and a subscriber hear of it with what they may read; nobody else does', async () => {
    // Webhooks: acme-hq (wave 1's provider), vandelay (a subscriber, under grace's read access, only
    // campaign-activity events), initech (the third wave's provider; a kinds filter that notices pass),
    // globex-hq (the second wave's provider).
    const acme = await webhook('alice', ISAC);
    const vandelay = await webhook('operator', ISAC, { organization: 'vandelay', user: 'grace', operations: ['campaign-activity'] });
    const initech = await webhook('frank', ISAC, { kinds: ['email-sender-ip'] });
    const globex = await webhook('dave', ISAC);

    // Wave 1 (ACME, RED for ACME, Globex and Vandelay): the sender IP, also seen as a C2 address.
    const [w1sender, w1c2] = (await submit('alice', {
      collection: ISAC,
      marking: { tlp: 'red', recipients: ['acme-hq', 'globex-hq', 'vandelay'] },
      indicators: [{ kind: 'email-sender-ip', value: SENDER }, { kind: 'c2-ip', value: SENDER }],
    })) as [string, string];
    // Wave 2 (Globex, RED for Globex and ACME): the same sender IP.
    const [w2sender] = (await submit('dave', { collection: ISAC, marking: { tlp: 'red', recipients: ['globex-hq', 'acme-hq'] }, indicators: [{ kind: 'email-sender-ip', value: SENDER }] })) as [string];
    // ACME's CSV feed of the collection, rendered now and kept: later reads apply the changes since (incremental render).
    const feed = () => fetch(`${hub.url}/api/collections/${ISAC}/feeds/csv`, { headers: { Authorization: demoAuth('alice') } }).then((r) => r.text());
    expect(await feed()).not.toContain(SENDER);
    // Wave 3 (Initech, RED for Initech, ACME and Vandelay): the same sender IP again (marked intentional:
    // documentation addresses are on the warning lists, which feeds apply).
    const [w3sender] = (await submit('frank', { collection: ISAC, intentional: true, marking: { tlp: 'red', recipients: ['initech', 'acme-hq', 'vandelay'] }, indicators: [{ kind: 'email-sender-ip', value: SENDER }] })) as [string];

    // ACME reads every member: the candidate is four indicators from three submissions.
    await acme.until(() => noticeOf(acme, w3sender) !== undefined);
    const toAcme = noticeOf(acme, w3sender);
    expect(toAcme).toMatchObject({ type: 'indicator', object_id: w3sender });
    expect(toAcme?.object).toEqual({
      type: 'campaign-activity',
      indicator: { id: w3sender, collection: ISAC, kind: 'email-sender-ip', value: SENDER, tlp: 'red' }, // no provider: the ISAC hides attribution
      joins: 'candidate',
      campaigns: [],
      members: [w1sender, w1c2, w2sender].sort(),
      shared: [{ kind: 'email-sender-ip', value: SENDER }],
      size: { indicators: 4, submissions: 3 },
    });
    // Vandelay cannot read Globex's wave: it hears of wave 1's members only, and sizes count only those.
    await vandelay.until(() => noticeOf(vandelay, w3sender) !== undefined);
    expect(noticeOf(vandelay, w3sender)?.object).toMatchObject({ joins: 'candidate', members: [w1sender, w1c2].sort(), size: { indicators: 3, submissions: 2 } });
    expect(vandelay.events.every((e) => e.operation === 'campaign-activity')).toBe(true); // its operations filter

    // With the notice in the feed, ACME's kept CSV feed gains wave 3's indicator.
    expect(await feed()).toContain(w3sender);

    // A marker after the notices: once each receiver has it, every earlier event reached it (position order).
    const [marker] = (await submit('frank', { collection: ISAC, marking: { tlp: 'green' }, indicators: [{ kind: 'email-sender-ip', value: '192.0.2.201' }] })) as [string];
    await initech.until(() => initech.events.some((e) => e.object_id === marker));
    await globex.until(() => globex.events.some((e) => e.object_id === marker));
    // Initech reads its own wave but no other member: nothing. Globex may not read wave 3: nothing about it.
    expect(noticeOf(initech, w3sender)).toBeUndefined();
    expect(noticeOf(globex, w3sender)).toBeUndefined();
    expect(JSON.stringify(globex.events)).not.toContain(w3sender);
    // What Vandelay and ACME heard never names what they may not read.
    expect(JSON.stringify(vandelay.events)).not.toContain(w2sender);
    // Wave 2 already joined (wave 1's two indicators and its own: three from two submissions), for ACME and Globex.
    expect(noticeOf(acme, w2sender)?.object).toMatchObject({ joins: 'candidate', members: [w1sender, w1c2].sort() });
    await globex.until(() => noticeOf(globex, w2sender) !== undefined);
    for (const r of [acme, vandelay, initech, globex]) expect(r.refused).toEqual([]);

    // The change feed itself: Initech's reading has no notice; the kinds filter let Initech's own indicator through.
    const changes = await api('frank', 'GET', `/collections/${ISAC}/changes`);
    expect((changes.body.events as { operation: string }[]).some((e) => e.operation === 'campaign-activity')).toBe(false);
    expect(initech.events.some((e) => e.object_id === w3sender && e.operation === 'created')).toBe(true);
  }, DELIVERY_TEST_MS);

  test('joining a named campaign says so, with its name and provider where attribution shows it, on the stream and in /changes; TAXII 1.1 pushes, feeds, the match index and the match mirror carry on', async () => {
    const stream = await openSse(`${hub.url}/api/collections/${ACME}/stream`, { Authorization: demoAuth('alice') });
    const inbox = await startInbox();
    const dir = await mkdtemp(path.join(tmpdir(), 'activity-mirror-'));
    try {
      // Before the waves: ACME's TAXII 1.1 push subscription, alice's mirror, a feed cursor, a built match index.
      const subscribed = await fetch(`${hub.url}/taxii1/collection-management`, { method: 'POST', headers: { ...TAXII11_HEADERS, Authorization: demoAuth('alice') }, body: subscribeMessage(inbox.url) });
      expect(await subscribed.text()).toContain('status="ACTIVE"');
      const mirror = (options: Partial<SyncOptions> = {}) => syncMirror({ dir, url: hub.url, authorization: demoAuth('alice'), collections: ['acme-internal'], ...options });
      await mirror();
      const cursor = (await fetch(`${hub.url}/api/collections/${ACME}/feeds/csv`, { headers: { Authorization: demoAuth('alice') } })).headers.get('x-feed-cursor') ?? '';
      expect(cursor).not.toBe('');
      const matched = async () => (await api('alice', 'POST', '/match', { values: ['198.51.100.23'] })).body as { results: { matches: { indicator: string }[] }[] };
      expect((await matched()).results[0]?.matches).toEqual([]);

      // (Documentation addresses are on the hub's warning lists: the waves mark them intentional so feeds list them.)
      const [campaignMember] = (await submit('alice', { collection: ACME, campaign: 'Kuro Relay', intentional: true, indicators: [{ kind: 'email-sender-ip', value: '198.51.100.23' }] })) as [string];
      const [joining] = (await submit('bob', { collection: ACME, intentional: true, indicators: [{ kind: 'c2-ip', value: '198.51.100.23' }] })) as [string];
      await stream.waitFor((s) => s.events.some((e) => e.type === 'campaign-activity' && e.data.includes(joining)));
      const event = stream.events.find((e) => e.type === 'campaign-activity');
      const data = JSON.parse(event?.data ?? '{}') as { object_id: string; object: Record<string, unknown> };
      expect(data.object_id).toBe(joining);
      expect(data.object).toMatchObject({
        type: 'campaign-activity',
        indicator: { id: joining, collection: ACME, kind: 'c2-ip', value: '198.51.100.23', tlp: 'amber', provider: 'acme-east' },
        joins: 'campaign',
        campaigns: [{ name: 'Kuro Relay', collection: ACME, id: expect.stringMatching(/^campaign--/) }],
        members: [campaignMember],
        shared: [{ kind: 'c2-ip', value: '198.51.100.23' }],
      });
      const changes = await api('alice', 'GET', `/collections/${ACME}/changes?types=indicator`);
      const listed = (changes.body.events as { operation: string; object_id: string; object?: Record<string, unknown> }[]).filter((e) => e.operation === 'campaign-activity');
      expect(listed).toEqual([expect.objectContaining({ object_id: joining, object: expect.objectContaining({ joins: 'campaign' }) })]);
      // ACME West may not read its sibling ACME East's AMBER indicator: it hears nothing of it joining.
      const west = await api('carol', 'GET', `/collections/${ACME}/changes`);
      expect(JSON.stringify(west.body)).not.toContain('campaign-activity');

      // With the notice in the feed, every consumer that keeps indicators still holds both as indicators:
      // the match index (caught up from the change feed), the mirror (an incremental sync), the feed's delta.
      expect((await matched()).results[0]?.matches.map((m) => m.indicator).sort()).toEqual([campaignMember, joining].sort());
      const synced = await mirror();
      expect(synced.collections[0]).toMatchObject({ full: false });
      const hits: string[] = [];
      (await loadMirror(dir)).index.lookup('ip', 'client-ip', '198.51.100.23', nowMicros(), (hit) => hits.push(hit.entry.indicatorId));
      expect(hits.sort()).toEqual([campaignMember, joining].sort());
      const delta = await fetch(`${hub.url}/api/collections/${ACME}/feeds/csv?since=${encodeURIComponent(cursor)}`, { headers: { Authorization: demoAuth('alice') } });
      expect(delta.status).toBe(200);
      const deltaText = await delta.text();
      const lines = deltaText.split(/\r?\n/).filter((line) => line.includes('198.51.100.23'));
      expect(lines.map((line) => line.split(',')[0])).toEqual(['add', 'add']);
      // The full feed, brought up to date from the one rendered before the waves (incremental render).
      const full = await (await fetch(`${hub.url}/api/collections/${ACME}/feeds/csv`, { headers: { Authorization: demoAuth('alice') } })).text();
      expect(full).toContain(campaignMember);
      expect(full).toContain(joining);

      // The TAXII 1.1 push skips the notice: the indicators and a marker after it arrive, no push fails.
      await submit('alice', { collection: ACME, marking: { tlp: 'green' }, indicators: [{ kind: 'c2-ip', value: '192.0.2.202' }] });
      await inbox.until((body) => body.includes('192.0.2.202'));
      expect(inbox.bodies.join('')).toContain('198.51.100.23');
      expect(inbox.bodies.join('')).not.toContain('campaign-activity');
      // Any notice the marker's own submission brings is written, and passed over by the push, before the backlog is read.
      await hub.composed.analysis.indexer.heard();
      await hub.composed.delivery.idle();
      const subscriptions = await fetch(`${hub.url}/admin/api/subscriptions?organization=acme-hq`, { headers: { Authorization: demoAuth('operator') } });
      const pushes = ((await subscriptions.json()) as { subscriptions: { channel: string; delivery: Record<string, unknown> }[] }).subscriptions.filter((x) => x.channel === 'taxii11-push');
      expect(pushes).toEqual([expect.objectContaining({ delivery: expect.objectContaining({ last_error: null, consecutive_failures: 0, backlog: 0 }) })]);
    } finally {
      stream.close();
      await inbox.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, DELIVERY_TEST_MS);
});
