import request from 'supertest';
import { startWebhookReceiver } from '../../services/delivery/webhooks/support/webhook-receiver';
import { REPORT_MESSAGES } from '../../../src/services/sightings/sighting-service';
import { TLP2_MARKING_REFS } from '../../../src/domain/tlp';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { allowLoopbackDeliveries, DELIVERY_TEST_MS, startListeningDemoHub, type ListeningDemoHub } from '../support/listening-demo-hub';
import { get, json, objectsOf } from '../taxii21/objects-fixture';

/**
 * Reporting sightings and false positives through the hub API (issue 14 §2-3), and the figures each
 * reader is shown. Demo configuration: alice = acme-hq (head office), bob = acme-east and carol =
 * acme-west (its branches: they read the head office, not each other); dave = globex-hq, across the
 * alliance's peer link; isac-feed and initech-feed hide attribution; grace = vandelay (consumer only).
 */

const ACME = DEMO_COLLECTIONS.acmeInternal;
const ALLIANCE = DEMO_COLLECTIONS.allianceExchange;
const ISAC = DEMO_COLLECTIONS.isacFeed;
const INITECH = DEMO_COLLECTIONS.initechPrivate;

interface Figures {
  count: number;
  reports: number;
  organizations: number;
  first_seen: string | null;
  last_seen: string | null;
  false_positives: number;
  by_organization?: { organization: string; count: number; reports: number; first_seen: string | null; last_seen: string | null; false_positives: number }[];
}

describe.each(testEngines())('sightings and false positives on %s', (engine) => {
  let hub: DemoConfigHub;
  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
  });
  afterAll(() => hub.close());

  let next = 0;
  const api = (method: 'get' | 'post', path: string, username: string, body?: unknown) => {
    const req = request(hub.app)[method](`/api${path}`).set('Authorization', demoAuth(username));
    return body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };
  /** A new indicator (a C2 address of its own) submitted by `username`. */
  const submit = async (username: string, collection: string, marking?: Record<string, unknown>) => {
    next += 1;
    const res = await api('post', '/submissions', username, {
      collection, valid_from: '2026-11-01T00:00:00Z', ...(marking ? { marking } : {}), indicators: [{ kind: 'c2-ip', value: `198.51.100.${next}` }],
    });
    expect(res.status).toBe(200);
    return String((json(res).indicators as { id: string }[])[0]?.id);
  };
  const report = (username: string, collection: string, body: unknown) => api('post', `/collections/${collection}/sightings`, username, body);
  const figures = async (username: string, collection: string, id: string): Promise<Figures> => {
    const res = await api('get', `/collections/${collection}/indicators/${id}/sightings`, username);
    expect(res.status).toBe(200);
    return json(res).sightings as Figures;
  };
  const problems = (res: request.Response) => (json(res).error as { problems?: { path: string; message: string }[] } | undefined)?.problems;
  const taxiiObject = async (username: string, collection: string, id: string) => objectsOf(await get(hub.app, `/demo/collections/${collection}/objects/${id}/`, username))[0];

  test("bob reports a sighting of alice's indicator: alice sees the count and acme-east; carol, who may not read the report, sees nothing of it; the operator sees acme-east", async () => {
    const id = await submit('alice', ACME);
    const reported = await report('bob', 'acme-internal', { sightings: [{ indicator: id, count: 3, first_seen: '2026-12-01T08:15:00Z', last_seen: '2026-12-01T09:40:00.5Z' }] });
    expect(reported.status).toBe(201);
    const made = (json(reported).sightings as { index: number; id: string; indicator: string; marking: string }[])[0];
    expect(made).toEqual({ index: 0, id: expect.stringMatching(/^sighting--/), indicator: id, marking: 'amber' });

    const expected = { count: 3, reports: 1, organizations: 1, first_seen: '2026-12-01T08:15:00.000000Z', last_seen: '2026-12-01T09:40:00.500000Z', false_positives: 0 };
    const { organizations: _, ...east } = expected;
    expect(await figures('alice', ACME, id)).toEqual({ ...expected, by_organization: [{ organization: 'acme-east', ...east }] });
    expect(await figures('operator', ACME, id)).toMatchObject({ count: 3, by_organization: [expect.objectContaining({ organization: 'acme-east', count: 3 })] });
    expect(await figures('carol', ACME, id)).toEqual({ count: 0, reports: 0, organizations: 0, first_seen: null, last_seen: null, false_positives: 0 });

    // The figures ride along on the indicator list and history too, computed for each reader.
    const listed = (json(await api('get', `/collections/${ACME}/indicators?provider=acme-hq`, 'alice')).indicators as { id: string; sightings: Figures }[]).find((i) => i.id === id);
    expect(listed?.sightings).toMatchObject({ count: 3, by_organization: [expect.objectContaining({ organization: 'acme-east' })] });
    expect(json(await api('get', `/collections/${ACME}/indicators/${id}`, 'carol')).sightings).toEqual(expect.objectContaining({ count: 0 }));
    expect((json(await api('get', `/collections/${ACME}/indicators/${id}`, 'bob')).sightings as Figures).by_organization).toBeUndefined();

    // The STIX sighting: bob's identity saw it and says so; nothing from bob's logs.
    const sighting = await taxiiObject('alice', ACME, String(made?.id));
    expect(sighting).toMatchObject({ type: 'sighting', sighting_of_ref: id, count: 3, first_seen: '2026-12-01T08:15:00.000000Z', object_marking_refs: [TLP2_MARKING_REFS.amber] });
    expect(sighting?.where_sighted_refs).toEqual([sighting?.created_by_ref]);
    expect(await taxiiObject('alice', ACME, String(sighting?.created_by_ref))).toMatchObject({ type: 'identity', name: 'ACME East' });
    expect((await get(hub.app, `/demo/collections/${ACME}/objects/${String(made?.id)}/`, 'carol')).status).toBe(404);
  });

  test("a branch reports on a sibling branch's GREEN indicator: the sibling reads the AMBER sighting and false positive, and the identity they name", async () => {
    const id = await submit('bob', ACME, { tlp: 'green' });
    const sighted = await report('carol', ACME, { sightings: [{ indicator: id, count: 2 }] });
    expect(sighted.status).toBe(201);
    const fp = await api('post', `/collections/${ACME}/indicators/${id}/false-positive`, 'carol', { explanation: 'our own resolver' });
    expect(fp.status).toBe(201);
    // Bob (acme-east) may not read acme-west's AMBER objects, but reads reports on his indicator, and who made them.
    expect(await figures('bob', ACME, id)).toMatchObject({ count: 2, reports: 1, organizations: 1, false_positives: 1 });
    const sighting = await taxiiObject('bob', ACME, String((json(sighted).sightings as { id: string }[])[0]?.id));
    expect(sighting).toMatchObject({ type: 'sighting', sighting_of_ref: id, object_marking_refs: [TLP2_MARKING_REFS.amber] });
    expect(await taxiiObject('bob', ACME, String(sighting?.created_by_ref))).toMatchObject({ type: 'identity', name: 'ACME West' });
  });

  test("an indicator carol may not read: its figures are a 404 for her, and her report about it is refused in the words used for one that does not exist", async () => {
    const id = await submit('alice', ACME, { tlp: 'red', recipients: ['acme-east'] });
    expect((await report('bob', ACME, { sightings: [{ indicator: id }] })).status).toBe(201);
    expect((await api('get', `/collections/${ACME}/indicators/${id}/sightings`, 'carol')).status).toBe(404);

    const unreadable = await report('carol', ACME, { sightings: [{ indicator: id }] });
    const missing = await report('carol', ACME, { sightings: [{ indicator: 'indicator--00000000-0000-4000-8000-000000000000' }] });
    expect(unreadable.status).toBe(400);
    expect(problems(unreadable)).toEqual([{ path: 'sightings[0].indicator', message: REPORT_MESSAGES.notReportable }]);
    expect(problems(missing)).toEqual(problems(unreadable));
    expect((await api('post', `/collections/${ACME}/indicators/${id}/false-positive`, 'carol', { explanation: 'ours' })).status).toBe(404);
    expect(await figures('alice', ACME, id)).toMatchObject({ count: 1, reports: 1 });
  });

  test('an organization entitled to the indicator that may read the report sees counts only; the provider sees who', async () => {
    const id = await submit('alice', ALLIANCE, { tlp: 'green' });
    expect((await report('bob', 'alliance-exchange', { sightings: [{ indicator: id, count: 2 }], marking: 'green' })).status).toBe(201);
    const dave = await figures('dave', ALLIANCE, id);
    expect(dave).toMatchObject({ count: 2, reports: 1, organizations: 1 });
    expect(dave.by_organization).toBeUndefined();
    expect((await figures('alice', ALLIANCE, id)).by_organization).toEqual([expect.objectContaining({ organization: 'acme-east', count: 2 })]);
  });

  test("a report is never marked wider than the indicator's readers: a GREEN sighting of an AMBER indicator becomes RED for those who read both", async () => {
    const id = await submit('alice', ALLIANCE, { tlp: 'amber' });
    const reported = await report('bob', ALLIANCE, { sightings: [{ indicator: id }], marking: 'green' });
    expect(reported.status).toBe(201);
    // globex-lab reads GREEN but not alice's AMBER: the sighting goes to the head offices only.
    expect((json(reported).sightings as unknown[])[0]).toMatchObject({ marking: 'red', recipients: ['acme-hq', 'globex-hq'] });
    expect((await figures('dave', ALLIANCE, id)).count).toBe(1);
    expect((await api('get', `/collections/${ALLIANCE}/indicators/${id}/sightings`, 'erin')).status).toBe(404);
  });

  test("with attribution hidden the provider sees counts only, the sighting names the hub's identity, and only the operator learns who reported", async () => {
    const id = await submit('alice', ISAC);
    const reported = await report('dave', 'isac-feed', { sightings: [{ indicator: id }] });
    expect(reported.status).toBe(201);
    const alice = await figures('alice', ISAC, id);
    expect(alice).toMatchObject({ count: 1, reports: 1, organizations: 1 });
    expect(alice.by_organization).toBeUndefined();
    expect((await figures('frank', ISAC, id)).by_organization).toBeUndefined();
    expect((await figures('operator', ISAC, id)).by_organization).toEqual([expect.objectContaining({ organization: 'globex-hq', count: 1 })]);

    const sighting = await taxiiObject('alice', ISAC, String((json(reported).sightings as { id: string }[])[0]?.id));
    const creator = await taxiiObject('alice', ISAC, String(sighting?.created_by_ref));
    expect(creator).toMatchObject({ type: 'identity', identity_class: 'system', name: 'taxii-hub' });
    expect(sighting?.where_sighted_refs).toEqual([creator?.id]);
  });

  test("a TLP:RED report reaches the recipients it names and the indicator's provider, nobody else", async () => {
    const id = await submit('alice', ISAC);
    const reported = await report('dave', ISAC, { sightings: [{ indicator: id, count: 4 }], marking: 'red', recipients: ['initech'] });
    expect(reported.status).toBe(201);
    expect((json(reported).sightings as unknown[])[0]).toMatchObject({ marking: 'red', recipients: ['initech'] });
    expect((await figures('alice', ISAC, id)).count).toBe(4);
    expect((await figures('frank', ISAC, id)).count).toBe(4);
    expect((await figures('grace', ISAC, id)).count).toBe(0);
    expect(problems(await report('dave', ISAC, { sightings: [{ indicator: id }], marking: 'red', recipients: ['nobody-inc'] }))).toEqual([{ path: 'recipients[0]', message: 'there is no organization "nobody-inc"' }]);
  });

  test('a consumer reports without write permission on the collection; a provider-only user reports about its own indicators only', async () => {
    // initech-feed: initech writes, the ISAC members only read.
    const initech = await submit('frank', INITECH);
    expect((await report('grace', INITECH, { sightings: [{ indicator: initech }] })).status).toBe(201);
    expect(await figures('frank', INITECH, initech)).toMatchObject({ count: 1 });
    expect(problems(await report('heidi', INITECH, { sightings: [{ indicator: initech }] }))).toEqual([{ path: 'sightings[0].indicator', message: REPORT_MESSAGES.notReportable }]);

    const own = await submit('heidi', ISAC);
    expect((await report('heidi', ISAC, { sightings: [{ indicator: own, count: 5 }] })).status).toBe(201);
    expect((await figures('grace', ISAC, own)).count).toBe(5);
  });

  test('every problem of a report is named with its path, and nothing of it is stored', async () => {
    const id = await submit('alice', ACME);
    const bad = await report('bob', ACME, {
      sightings: [
        { indicator: id },
        { indicator: id, first_seen: '2026-12-02T00:00:00Z', last_seen: '2026-12-01T00:00:00Z' },
        { indicator: 'indicator--00000000-0000-4000-8000-000000000000' },
      ],
      marking: 'amber',
      recipients: ['acme-hq'],
    });
    expect(bad.status).toBe(400);
    expect(problems(bad)).toEqual(expect.arrayContaining([
      { path: 'recipients', message: expect.stringContaining('only for TLP:RED') },
      { path: 'sightings[1].last_seen', message: 'must not be earlier than first_seen' },
      { path: 'sightings[2].indicator', message: REPORT_MESSAGES.notReportable },
    ]));
    expect(problems(bad)).toHaveLength(3);
    expect((await figures('alice', ACME, id)).count).toBe(0);

    const schema = await report('bob', ACME, { sightings: [{ indicator: 'not-an-id', count: 0 }, { indicator: id, extra: 1 }], marking: 'purple' });
    expect(problems(schema)?.map((p) => p.path).sort()).toEqual(['marking', 'sightings[0].count', 'sightings[0].indicator', 'sightings[1].extra']);
    expect(problems(await report('bob', ACME, { sightings: [] }))).toEqual([{ path: 'sightings', message: expect.stringContaining('fewer than 1') }]);
    const tooMany = await report('bob', ACME, { sightings: Array.from({ length: 1001 }, () => ({ indicator: id })) });
    expect(problems(tooMany)).toEqual([{ path: 'sightings', message: expect.stringContaining('more than 1000') }]);
    expect((await report('bob', 'no-such-collection', { sightings: [{ indicator: id }] })).status).toBe(404);
    expect((await request(hub.app).post(`/api/collections/${ACME}/sightings`).set('Content-Type', 'application/json').send('{}')).status).toBe(401);
  });

  test('1,000 sightings in one request are stored together, and counted', async () => {
    const ids = [await submit('alice', ACME), await submit('alice', ACME)];
    const reported = await report('bob', ACME, { sightings: Array.from({ length: 1000 }, (_, i) => ({ indicator: ids[i % 2], count: 2 })) });
    expect(reported.status).toBe(201);
    const made = json(reported).sightings as { index: number; id: string }[];
    expect(made).toHaveLength(1000);
    expect(new Set(made.map((m) => m.id)).size).toBe(1000);
    expect(made[999]?.index).toBe(999);
    expect(await figures('alice', ACME, String(ids[1]))).toMatchObject({ count: 1000, reports: 500, organizations: 1 });
  });

  test('a false positive is an opinion (strongly-disagree) the provider reads and counts; its explanation is required', async () => {
    const id = await submit('alice', ACME);
    const fp = await api('post', `/collections/${ACME}/indicators/${id}/false-positive`, 'bob', { explanation: 'this address is our own mail relay' });
    expect(fp.status).toBe(201);
    expect(json(fp)).toMatchObject({ collection: ACME, id: expect.stringMatching(/^opinion--/), indicator: id, marking: 'amber' });
    const opinion = await taxiiObject('alice', ACME, String(json(fp).id));
    expect(opinion).toMatchObject({ type: 'opinion', opinion: 'strongly-disagree', explanation: 'this address is our own mail relay', object_refs: [id] });
    expect(await figures('alice', ACME, id)).toMatchObject({ count: 0, reports: 0, organizations: 1, false_positives: 1, by_organization: [expect.objectContaining({ organization: 'acme-east', false_positives: 1 })] });
    const missing = await api('post', `/collections/${ACME}/indicators/${id}/false-positive`, 'bob', {});
    expect(problems(missing)).toEqual([{ path: 'explanation', message: 'is required' }]);
    expect(problems(await api('post', `/collections/${ACME}/indicators/${id}/false-positive`, 'bob', { explanation: 'x'.repeat(1001) }))?.[0]?.path).toBe('explanation');
  });

  test('reporting is written to the audit trail', async () => {
    const id = await submit('alice', ACME);
    const made = String((json(await report('bob', ACME, { sightings: [{ indicator: id }] })).sightings as { id: string }[])[0]?.id);
    const audit = await request(hub.app).get(`/admin/api/audit?entity_id=${made}`).set('Authorization', demoAuth('operator'));
    expect(audit.status).toBe(200);
    expect(json(audit).entries).toEqual([expect.objectContaining({ action: 'sighting.report', actor: 'bob', entity_type: 'sighting', entity_id: made })]);
  });
});

describe.each(testEngines())("a false positive reaches the provider's webhook on %s", (engine) => {
  let hub: ListeningDemoHub;
  let url: string;

  beforeAll(async () => {
    // The operator lets ACME's head office receive deliveries on its own receiver (here on loopback).
    hub = await startListeningDemoHub(engine, { prepare: allowLoopbackDeliveries('acme-hq'), delivery: true });
    url = hub.url;
  });
  afterAll(() => hub.close());

  const api = async (username: string, path: string, body: unknown) => {
    const response = await fetch(`${url}/api${path}`, { method: 'POST', headers: { Authorization: demoAuth(username), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test("alice's webhook, filtered to URL indicators, receives bob's false-positive opinion about her C2 address, and his sighting", async () => {
    const receiver = await startWebhookReceiver();
    try {
      const registered = await api('alice', '/webhooks', { collection: ACME, url: receiver.url, kinds: ['url'] });
      expect(registered.status).toBe(201);
      receiver.secrets.push(String(registered.body.secret));
      const submitted = await api('alice', '/submissions', { collection: ACME, valid_from: '2026-11-01T00:00:00Z', indicators: [{ kind: 'c2-ip', value: '192.0.2.77' }] });
      const id = String((submitted.body.indicators as { id: string }[])[0]?.id);

      const fp = await api('bob', `/collections/${ACME}/indicators/${id}/false-positive`, { explanation: 'our own VPN gateway' });
      expect(fp.status).toBe(201);
      const sighting = await api('bob', `/collections/${ACME}/sightings`, { sightings: [{ indicator: id }] });
      expect(sighting.status).toBe(201);
      const sightingId = (sighting.body.sightings as { id: string }[])[0]?.id;
      await receiver.until(() => receiver.acceptedEvents().some((e) => e.object_id === sightingId), 20_000, "bob's sighting");
      const opinion = receiver.acceptedEvents().find((e) => e.object_id === fp.body.id);
      expect(opinion).toMatchObject({ operation: 'created', type: 'opinion', object: { opinion: 'strongly-disagree', explanation: 'our own VPN gateway', object_refs: [id] } });
      // The filter still does its work: the c2-ip indicator itself is not a URL.
      expect(receiver.acceptedEvents().some((e) => e.object_id === id)).toBe(false);
    } finally {
      await receiver.close();
    }
  }, DELIVERY_TEST_MS);
});
