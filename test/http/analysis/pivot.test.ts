import request from 'supertest';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics } from '../../../src/http/ops/metrics';
import { composeHub, type ComposedHub } from '../../../src/hub-composition';
import type { Database } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { createStixValidator } from '../../../src/validation/stix-validator';
import { demoAuth } from '../support/demo-config-hub';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../../support/demo-config';
import { openTestDatabase, testEngines } from '../../support/test-databases';

interface NodeJson { ref: string; type: string; id?: string; collection?: string; kind?: string; value?: string; name?: string; tlp?: string; state?: string; provider?: string; hop: number; first_seen?: string; last_seen?: string; sightings?: { count: number; reports: number } }
interface EdgeJson { from: string; to: string; reason: string; via: string }
interface PivotJson { nodes: NodeJson[]; edges: EdgeJson[]; collections: { id: string; alias?: string }[]; truncated: boolean; start: string[] }

/**
 * GET /api/pivot on the demo hub (issue 15 §1), both engines: one table row per relation, depth,
 * sightings, what each demo organization may see, the STIX form, and the errors.
 *
 * Data: alice (acme-hq) and dave (globex-hq) share in alliance-exchange (attributed), alice in
 * acme-internal (ACME only) and isac-feed (attribution hidden).
 */
describe.each(testEngines())('GET /api/pivot on %s', (engine) => {
  let db: Database;
  let hub: ComposedHub;
  const ids: Record<string, string> = {};

  const submit = async (user: string, collection: string, indicators: { kind: string; value: string }[], extra: Record<string, unknown> = {}) => {
    const res = await request(hub.app).post('/api/submissions').set('Authorization', demoAuth(user)).send({ collection, valid_from: new Date().toISOString(), indicators, ...extra });
    expect(res.status).toBe(200);
    return (res.body as { indicators: { id: string }[] }).indicators.map((i) => i.id);
  };

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const store = createSqlTenancyStore(db);
    const config = await applyDemoConfig(store);
    hub = composeHub({ db, store, hub: config.hub, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
    [ids.a1, ids.a2] = await submit('alice', DEMO_COLLECTIONS.allianceExchange, [{ kind: 'c2-ip', value: '203.0.113.9' }, { kind: 'email-from', value: 'billing@kuro.example' }], { campaign: 'Kuro wave' }) as [string, string];
    [ids.d1, ids.d2, ids.d3] = await submit('dave', DEMO_COLLECTIONS.allianceExchange, [
      { kind: 'email-sender-ip', value: '203.0.113.9' }, { kind: 'c2-hostname', value: 'kuro.example' }, { kind: 'url', value: 'http://cdn.kuro.example/gate.php' },
    ]) as [string, string, string];
    [ids.i1, ids.i2, ids.i3] = await submit('alice', DEMO_COLLECTIONS.acmeInternal, [
      { kind: 'c2-ip', value: '203.0.113.9' }, { kind: 'c2-ip', value: '203.0.113.0/24' }, { kind: 'c2-hostname', value: 'evil.kuro.example' },
    ]) as [string, string, string];
    [ids.s1] = await submit('alice', DEMO_COLLECTIONS.isacFeed, [{ kind: 'c2-hostname', value: 'cdn.kuro.example' }]) as [string];
    const sighted = await request(hub.app).post(`/api/collections/${DEMO_COLLECTIONS.allianceExchange}/sightings`).set('Authorization', demoAuth('dave')).send({ sightings: [{ indicator: ids.a1, count: 3 }] });
    expect(sighted.status).toBe(201);
    ids.sighting = (sighted.body as { sightings: { id: string }[] }).sightings[0]?.id as string;
  });
  afterAll(async () => {
    await hub.analysis.indexer.stop();
    await db.close();
  });

  const pivot = async (user: string, query: Record<string, string>, status = 200) => {
    const res = await request(hub.app).get('/api/pivot').query(query).set('Authorization', demoAuth(user));
    expect({ status: res.status, body: res.status === status ? 'as expected' : res.body as unknown }).toEqual({ status, body: 'as expected' });
    return res.body as PivotJson;
  };

  /** A node as the tests name it: collection alias, kind and value; a campaign by name; the value asked about. */
  const labelOf = (body: PivotJson) => {
    const alias = new Map(body.collections.map((c) => [c.id, c.alias ?? c.id]));
    const nodes = new Map(body.nodes.map((n) => [n.ref, n]));
    return (ref: string) => {
      const n = nodes.get(ref);
      if (n === undefined) throw new Error(`an edge names ${ref}, which is not a node`);
      if (n.type === 'value') return 'value';
      if (n.type === 'campaign') return `campaign ${n.name ?? ''}`;
      return `${alias.get(n.collection ?? '') ?? ''} ${n.kind ?? ''} ${n.value ?? ''}`;
    };
  };
  const nodeLabels = (body: PivotJson) => body.nodes.map((n) => `${labelOf(body)(n.ref)} @${n.hop}`).sort();
  const edgeLabels = (body: PivotJson) => {
    const label = labelOf(body);
    return body.edges.map((e) => `${[label(e.from), label(e.to)].sort().join(' ~ ')}: ${e.reason} ${e.via}`).sort();
  };

  it.each<{ name: string; query: Record<string, string>; edges: string[] }>([
    {
      name: 'an address across kinds, collections and networks (c2-ip)',
      query: { value: '203.0.113.9', kind: 'c2-ip' },
      edges: [
        'acme-internal c2-ip 203.0.113.0/24 ~ value: address-in-cidr 203.0.113.0/24',
        'acme-internal c2-ip 203.0.113.9 ~ value: same-value 203.0.113.9',
        'alliance-exchange c2-ip 203.0.113.9 ~ value: same-value 203.0.113.9',
        'alliance-exchange email-sender-ip 203.0.113.9 ~ value: same-address 203.0.113.9',
      ],
    },
    {
      name: 'a domain: the same host, an e-mail domain, subdomains and URLs under it',
      query: { value: 'kuro.example' },
      edges: [
        'acme-internal c2-hostname evil.kuro.example ~ value: subdomain kuro.example',
        'alliance-exchange c2-hostname kuro.example ~ value: same-value kuro.example',
        'alliance-exchange email-from billing@kuro.example ~ value: email-domain kuro.example',
        'alliance-exchange url http://cdn.kuro.example/gate.php ~ value: subdomain kuro.example',
        'isac-feed c2-hostname cdn.kuro.example ~ value: subdomain kuro.example',
      ],
    },
    {
      name: 'a host in a URL, and its parent domain',
      query: { value: 'cdn.kuro.example', kind: 'c2-hostname' },
      edges: [
        'alliance-exchange c2-hostname kuro.example ~ value: subdomain kuro.example',
        'alliance-exchange email-from billing@kuro.example ~ value: subdomain kuro.example',
        'alliance-exchange url http://cdn.kuro.example/gate.php ~ value: host-in-url cdn.kuro.example',
        'isac-feed c2-hostname cdn.kuro.example ~ value: same-value cdn.kuro.example',
      ],
    },
  ])('relates $name', async ({ query, edges }) => {
    expect(edgeLabels(await pivot('alice', query))).toEqual(edges);
  });

  it('goes from an indicator to its campaign and the campaign\'s other members in one hop', async () => {
    const body = await pivot('alice', { object: ids.a1 as string });
    expect(edgeLabels(body)).toEqual([
      'acme-internal c2-ip 203.0.113.0/24 ~ alliance-exchange c2-ip 203.0.113.9: address-in-cidr 203.0.113.0/24',
      'acme-internal c2-ip 203.0.113.9 ~ alliance-exchange c2-ip 203.0.113.9: same-value 203.0.113.9',
      'alliance-exchange c2-ip 203.0.113.9 ~ alliance-exchange email-sender-ip 203.0.113.9: same-address 203.0.113.9',
      'alliance-exchange c2-ip 203.0.113.9 ~ campaign Kuro wave: indicates Kuro wave',
      'alliance-exchange email-from billing@kuro.example ~ campaign Kuro wave: same-campaign Kuro wave',
    ]);
    const a1 = body.nodes.find((n) => n.id === ids.a1);
    expect(a1).toMatchObject({ type: 'indicator', kind: 'c2-ip', value: '203.0.113.9', tlp: 'amber', state: 'active', provider: 'acme-hq', hop: 0, sightings: { count: 3, reports: 1 } });
    expect(a1?.first_seen).toMatch(/^\d{4}-/);
    expect(body.start).toEqual([`${DEMO_COLLECTIONS.allianceExchange}/${ids.a1 ?? ''}`]);
  });

  it('starts from what a sighting is about, and from a campaign with its members', async () => {
    expect(nodeLabels(await pivot('dave', { object: ids.sighting as string }))).toContain('alliance-exchange c2-ip 203.0.113.9 @0');
    const campaign = (await pivot('alice', { object: ids.a1 as string })).nodes.find((n) => n.type === 'campaign');
    const body = await pivot('alice', { object: campaign?.id as string });
    expect(nodeLabels(body).filter((l) => l.endsWith('@0'))).toEqual([
      'alliance-exchange c2-ip 203.0.113.9 @0',
      'alliance-exchange email-from billing@kuro.example @0',
      'campaign Kuro wave @0',
    ]);
    expect(body.start).toHaveLength(3);
    // carol cannot read the campaign: worded as for an id that does not exist.
    await pivot('carol', { object: campaign?.id as string }, 404);
  });

  it('relates a host to every frontier domain it is under (nested domains in one hop)', async () => {
    await submit('alice', DEMO_COLLECTIONS.acmeInternal, [{ kind: 'c2-hostname', value: 'nest.example' }, { kind: 'c2-hostname', value: 'cdn.nest.example' }], { campaign: 'Nest' });
    await submit('alice', DEMO_COLLECTIONS.acmeInternal, [{ kind: 'c2-hostname', value: 'a.cdn.nest.example' }]);
    const campaign = (await pivot('alice', { value: 'cdn.nest.example', depth: '2' })).nodes.find((n) => n.type === 'campaign');
    const body = await pivot('alice', { object: campaign?.id as string });
    expect(edgeLabels(body).filter((e) => e.includes('a.cdn.nest.example'))).toEqual([
      'acme-internal c2-hostname a.cdn.nest.example ~ acme-internal c2-hostname cdn.nest.example: subdomain cdn.nest.example',
      'acme-internal c2-hostname a.cdn.nest.example ~ acme-internal c2-hostname nest.example: subdomain nest.example',
    ]);
  });

  it('reaches the second ring at depth 2, not at depth 1', async () => {
    const one = await pivot('alice', { object: ids.d1 as string });
    expect(nodeLabels(one)).not.toContain('alliance-exchange email-from billing@kuro.example @1');
    expect(nodeLabels(one)).not.toContain('alliance-exchange email-from billing@kuro.example @2');
    const two = await pivot('alice', { object: ids.d1 as string, depth: '2' });
    expect(nodeLabels(two)).toEqual([
      'acme-internal c2-ip 203.0.113.0/24 @1',
      'acme-internal c2-ip 203.0.113.9 @1',
      'alliance-exchange c2-ip 203.0.113.9 @1',
      'alliance-exchange email-from billing@kuro.example @2',
      'alliance-exchange email-sender-ip 203.0.113.9 @0',
      'campaign Kuro wave @2',
    ]);
    const three = await pivot('alice', { object: ids.d1 as string, depth: '3' });
    expect(nodeLabels(three)).toContain('alliance-exchange c2-hostname kuro.example @3');
  });

  it('shows each organization only what it may read', async () => {
    // carol (acme-west) is not in the alliance: ACME's own collection only.
    expect(nodeLabels(await pivot('carol', { value: '203.0.113.9', kind: 'c2-ip' }))).toEqual(['acme-internal c2-ip 203.0.113.0/24 @1', 'acme-internal c2-ip 203.0.113.9 @1', 'value @0']);
    // erin (globex-lab) reads Globex's alliance indicators, not ACME's (the peer link is not passed down).
    expect(nodeLabels(await pivot('erin', { value: '203.0.113.9', depth: '2' }))).toEqual(['alliance-exchange email-sender-ip 203.0.113.9 @1', 'value @0']);
    await pivot('carol', { object: ids.a1 as string }, 404);
    // isac-feed hides who provided: dave sees the indicator, not its provider; alice (the provider) and the operator do.
    const hidden = (body: PivotJson) => body.nodes.find((n) => n.id === ids.s1);
    expect(hidden(await pivot('dave', { value: 'cdn.kuro.example' }))).not.toHaveProperty('provider');
    expect(hidden(await pivot('alice', { value: 'cdn.kuro.example' }))).toMatchObject({ provider: 'acme-hq' });
    expect(hidden(await pivot('operator', { value: 'cdn.kuro.example' }))).toMatchObject({ provider: 'acme-hq' });
    // Named collections narrow the search.
    expect(nodeLabels(await pivot('alice', { value: '203.0.113.9', kind: 'c2-ip', collections: 'acme-internal' }))).toEqual(['acme-internal c2-ip 203.0.113.0/24 @1', 'acme-internal c2-ip 203.0.113.9 @1', 'value @0']);
  });

  it('carries each indicator\'s state', async () => {
    const revoked = await request(hub.app).post(`/api/collections/${DEMO_COLLECTIONS.acmeInternal}/indicators/${ids.i3 ?? ''}/revoke`).set('Authorization', demoAuth('alice')).send({ reason: 'sinkholed' });
    expect(revoked.status).toBe(200);
    const body = await pivot('alice', { value: 'evil.kuro.example' });
    expect(body.nodes.find((n) => n.id === ids.i3)).toMatchObject({ state: 'revoked' });
  });

  it('answers a STIX bundle with a valid grouping on request', async () => {
    const res = await request(hub.app).get('/api/pivot').query({ object: ids.a1 as string, format: 'stix' }).set('Authorization', demoAuth('alice'));
    expect(res.status).toBe(200);
    const bundle = res.body as { type: string; objects: Record<string, unknown>[] };
    expect(bundle.type).toBe('bundle');
    const [grouping, ...objects] = bundle.objects;
    expect(grouping).toMatchObject({ type: 'grouping', context: 'suspicious-activity', object_marking_refs: ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421'] });
    expect(createStixValidator()(grouping)).toEqual({ ok: true });
    expect(new Set(objects.map((o) => o.id))).toEqual(new Set(grouping?.object_refs as string[]));
    expect(objects.map((o) => o.id)).toContain(ids.a1);
  });

  it.each([
    [{}, 'value'],
    [{ value: '203.0.113.9', object: 'indicator--0b8a5b1c-7c1e-4d0e-8d7a-5b4f0c2e9a11' }, 'object'],
    [{ value: '203.0.113.9', depth: '4' }, 'depth'],
    [{ value: '203.0.113.9', depth: 'two' }, 'depth'],
    [{ value: '203.0.113.9', kind: 'ip' }, 'kind'],
    [{ value: '203.0.113.9', format: 'csv' }, 'format'],
    [{ object: 'not-an-id' }, 'object'],
    [{ value: 'a\u0007b' }, 'value'],
    [{ value: '10.0.0.1', kind: 'c2-hostname' }, 'value'],
  ])('refuses %j, naming %s', async (query, path) => {
    const res = await request(hub.app).get('/api/pivot').query(query).set('Authorization', demoAuth('alice'));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(`"path":"${path}"`);
  });

  it('answers 404 for an object nobody stored, 404 for a collection it cannot see, 401 without credentials', async () => {
    await pivot('alice', { object: 'indicator--0b8a5b1c-7c1e-4d0e-8d7a-5b4f0c2e9a11' }, 404);
    await pivot('carol', { value: '203.0.113.9', collections: 'alliance-exchange' }, 404);
    expect((await request(hub.app).get('/api/pivot').query({ value: '203.0.113.9' })).status).toBe(401);
  });
});
