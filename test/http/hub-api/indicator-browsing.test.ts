import request from 'supertest';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { get, json, objectsOf } from '../taxii21/objects-fixture';

const ACME = DEMO_COLLECTIONS.acmeInternal;

interface Listed { id: string; kind?: string; tlp?: string; provider?: string }
interface Listing { indicators: Listed[]; more: boolean; next_after?: string }

describe.each(testEngines())('browsing indicators on %s: filters, pages, reports, and what each reader sees', (engine) => {
  let hub: DemoConfigHub;
  const ids = { bobUrl: '', bobIp: '', bobHost: '', aliceIp: '' };
  let bobCampaign = '';

  const api = (method: 'get' | 'post', path: string, username: string, body?: unknown) => {
    const req = request(hub.app)[method](`/api${path}`).set('Authorization', demoAuth(username));
    return body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };
  const submit = async (username: string, extra: Record<string, unknown>, indicators: { kind: string; value: string }[]) => {
    const res = await api('post', '/submissions', username, { collection: ACME, valid_from: '2026-11-01T00:00:00Z', valid_until: '2036-11-01T00:00:00Z', ...extra, indicators });
    expect(res.status).toBe(200);
    return (json(res).indicators as { id: string }[]).map((i) => i.id);
  };
  const listing = async (username: string, query: string): Promise<Listing> => {
    const res = await api('get', `/collections/${ACME}/indicators?${query}`, username);
    expect(res.status).toBe(200);
    return json(res) as unknown as Listing;
  };
  const listed = async (username: string, query: string) => (await listing(username, query)).indicators.map((i) => i.id).sort();

  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
    const bobWave = await submit('bob', { marking: { tlp: 'amber' }, campaign: 'Paper Cut' }, [
      { kind: 'url', value: 'https://paper-cut.example/drop' },
      { kind: 'c2-ip', value: '203.0.113.5' },
    ]);
    const bobGreen = await submit('bob', { marking: { tlp: 'green' } }, [{ kind: 'c2-hostname', value: 'green-c2.example' }]);
    const aliceWave = await submit('alice', { marking: { tlp: 'amber' }, campaign: 'Paper Cut' }, [{ kind: 'c2-ip', value: '203.0.113.9' }]);
    Object.assign(ids, { bobUrl: bobWave[0], bobIp: bobWave[1], bobHost: bobGreen[0], aliceIp: aliceWave[0] });
    // bob's campaign: where the indicates-relationship from bob's indicator leads.
    const relationships = objectsOf(await get(hub.app, `/demo/collections/${ACME}/objects/?match[type]=relationship`, 'bob'));
    bobCampaign = String(relationships.find((r) => r.source_ref === ids.bobUrl && r.relationship_type === 'indicates')?.target_ref);
    expect(bobCampaign).toMatch(/^campaign--/);
  });
  afterAll(() => hub.close());

  test('kind, TLP and campaign (by name or id) filter the listing; each indicator shows its TLP', async () => {
    expect(await listed('alice', 'kind=c2-ip')).toEqual([ids.bobIp, ids.aliceIp].sort());
    expect(await listed('alice', 'tlp=green')).toEqual([ids.bobHost]);
    expect((await listing('alice', 'kind=c2-hostname')).indicators).toEqual([expect.objectContaining({ id: ids.bobHost, kind: 'c2-hostname', tlp: 'green', provider: 'acme-east' })]);
    expect(await listed('alice', 'campaign=Paper%20Cut')).toEqual([ids.bobUrl, ids.bobIp, ids.aliceIp].sort());
    expect(await listed('alice', `campaign=${bobCampaign}`)).toEqual([ids.bobUrl, ids.bobIp].sort());
    expect(await listed('alice', 'campaign=Paper%20Cut&kind=url&provider=acme-east')).toEqual([ids.bobUrl]);
    expect(await listed('alice', 'campaign=No%20Such%20Wave')).toEqual([]);
  });

  test('a page says whether more follow, and next_after continues to the end', async () => {
    const first = await listing('alice', 'limit=3');
    expect(first).toMatchObject({ more: true, next_after: expect.any(String) });
    expect(first.indicators).toHaveLength(3);
    const rest = await listing('alice', `limit=3&after=${first.next_after}`);
    expect(rest.more).toBe(false);
    expect(rest.next_after).toBeUndefined();
    expect([...first.indicators, ...rest.indicators].map((i) => i.id).sort()).toEqual(Object.values(ids).sort());
  });

  test('carol (acme-west) sees none of bob\'s (acme-east, her sibling) AMBER indicators, by any filter, nor their history or reports; she sees acme-hq\'s and bob\'s GREEN', async () => {
    // docs/access.md: AMBER reaches acme-east's ancestors (acme-hq), not its sibling; GREEN reaches every member.
    expect(await listed('carol', '')).toEqual([ids.aliceIp, ids.bobHost].sort());
    expect(await listed('carol', 'campaign=Paper%20Cut')).toEqual([ids.aliceIp]);
    expect(await listed('carol', `campaign=${bobCampaign}`)).toEqual([]);
    expect(await listed('carol', 'kind=url')).toEqual([]);
    expect(await listed('carol', 'tlp=amber')).toEqual([ids.aliceIp]);
    for (const path of [`/collections/${ACME}/indicators/${ids.bobUrl}`, `/collections/${ACME}/indicators/${ids.bobUrl}/reports`, `/collections/${ACME}/indicators/${ids.bobUrl}/sightings`]) {
      const res = await api('get', path, 'carol');
      expect(res.status).toBe(404);
      expect(json(res)).toEqual({ error: expect.objectContaining({ code: 'NOT_FOUND' }) });
    }
  });

  test('an indicator\'s reports one by one: the provider learns who reported (attribution not hidden), the reporter sees its own', async () => {
    expect((await api('post', `/collections/${ACME}/sightings`, 'alice', { sightings: [{ indicator: ids.bobUrl, count: 4, first_seen: '2026-12-01T08:00:00Z', last_seen: '2026-12-01T09:00:00Z' }] })).status).toBe(201);
    expect((await api('post', `/collections/${ACME}/indicators/${ids.bobUrl}/false-positive`, 'alice', { explanation: 'our own CDN' })).status).toBe(201);
    const asBob = json(await api('get', `/collections/${ACME}/indicators/${ids.bobUrl}/reports`, 'bob'));
    expect(asBob).toEqual({
      id: ids.bobUrl,
      collection: ACME,
      reports: [
        { id: expect.stringMatching(/^opinion--/), type: 'false-positive', date_added: expect.any(String), marking: expect.any(String), organization: 'acme-hq', explanation: 'our own CDN' },
        { id: expect.stringMatching(/^sighting--/), type: 'sighting', date_added: expect.any(String), marking: expect.any(String), organization: 'acme-hq', count: 4, first_seen: '2026-12-01T08:00:00.000000Z', last_seen: '2026-12-01T09:00:00.000000Z' },
      ],
    });
    const asAlice = json(await api('get', `/collections/${ACME}/indicators/${ids.bobUrl}/reports`, 'alice')) as { reports: { organization?: string }[] };
    expect(asAlice.reports.map((r) => r.organization)).toEqual(['acme-hq', 'acme-hq']);
  });

  test('GET /api/collections lists the collections each caller may see with its own can_read / can_write', async () => {
    const of = async (username: string) => (json(await api('get', '/collections', username)).collections as { id: string; can_read: boolean; can_write: boolean; default_marking: string }[]);
    expect((await of('bob')).find((c) => c.id === ACME)).toMatchObject({ api_root: 'demo', can_read: true, can_write: true, default_marking: 'amber' });
    expect((await of('carol')).find((c) => c.id === ACME)).toMatchObject({ can_read: true, can_write: false });
    expect((await of('frank')).map((c) => c.id)).not.toContain(ACME);
    expect((await of('operator')).filter((c) => c.can_read).map((c) => c.id).sort()).toEqual(Object.values(DEMO_COLLECTIONS).sort());
    expect((await request(hub.app).get('/api/collections')).status).toBe(401);
  });

  test('filters the hub does not know are a 400 naming each one', async () => {
    const res = await api('get', `/collections/${ACME}/indicators?kind=ip&tlp=purple&campaign=`, 'alice');
    expect(res.status).toBe(400);
    expect((json(res).error as { problems: { path: string }[] }).problems.map((p) => p.path)).toEqual(['kind', 'tlp', 'campaign']);
  });
});
