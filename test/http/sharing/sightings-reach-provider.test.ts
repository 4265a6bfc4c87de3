import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import { markingRefFor } from '../../../src/domain/tlp';
import type { TlpLevel } from '../../../src/domain/tenancy';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { get, json, objectsOf } from '../taxii21/objects-fixture';
import { sharingClient, statusOf, stixIndicator } from './sharing-fixture';

/**
 * A sighting posted over TAXII 2.1 reaches the provider of the indicator it reports on, whatever its
 * marking (issue 14 §3). In the ACME tree acme-east (bob) reports in TLP:RED, naming only itself, on
 * acme-hq's (alice) indicator: the head office reads it in GET objects, the manifest, Get an Object
 * and its change feed, the sibling branch acme-west (carol) in none of them. In the alliance exchange
 * acme-east reports AMBER on globex-hq's (dave) indicator: across a link without pass-down only the
 * named reader, globex-hq, gains it; its branch globex-lab (erin) does not.
 */

const RED_FOR_EAST = { extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', red_recipients: ['acme-east'] } } };

function stixSighting(tlp: TlpLevel, of: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'sighting',
    spec_version: '2.1',
    id: `sighting--${randomUUID()}`,
    created: '2026-11-20T00:00:00.000Z',
    modified: '2026-11-20T00:00:00.000Z',
    sighting_of_ref: of,
    count: 4,
    first_seen: '2026-11-19T08:00:00Z',
    last_seen: '2026-11-19T18:00:00Z',
    object_marking_refs: [markingRefFor(tlp)],
    ...fields,
  };
}

describe.each(testEngines())('sightings reach the provider of the indicator, on %s', (engine) => {
  let hub: DemoConfigHub;
  const client = (collection: string = DEMO_COLLECTIONS.acmeInternal) => sharingClient(hub, collection);
  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
  });
  afterAll(() => hub.close());

  const changesAbout = async (username: string, id: string, collection: string = DEMO_COLLECTIONS.acmeInternal) => {
    const res = await request(hub.app).get(`/api/collections/${collection}/changes?types=sighting`).set('Authorization', demoAuth(username));
    expect(res.status).toBe(200);
    return (json(res).events as { object_id: string; operation: string }[]).filter((e) => e.object_id === id).map((e) => e.operation);
  };

  test('a branch’s RED sighting of the head office’s indicator, naming only itself: the head office reads it everywhere, the sibling nowhere', async () => {
    const indicator = stixIndicator('amber');
    expect((await client().post('alice', [indicator])).status).toBe(202);
    const sighting = stixSighting('red', String(indicator.id), RED_FOR_EAST);
    const posted = await client().post('bob', [sighting]);
    expect(posted.status).toBe(202);
    expect(statusOf(posted).failures ?? []).toEqual([]);
    const id = String(sighting.id);

    expect((await client().everything('alice')).map((o) => o.id)).toContain(id);
    const manifest = await get(hub.app, `${client().taxii}/manifest/?match[type]=sighting`, 'alice');
    expect(((json(manifest).objects ?? []) as { id: string }[]).map((o) => o.id)).toContain(id);
    const one = await get(hub.app, `${client().taxii}/objects/${id}/`, 'alice');
    expect(one.status).toBe(200);
    expect(objectsOf(one).map((o) => o.id)).toEqual([id]);
    expect(await changesAbout('alice', id)).toEqual(['created']);

    // Carol (acme-west) reads the indicator, not her sibling's report on it.
    const carol = await client().everything('carol');
    expect(carol.map((o) => o.id)).toContain(indicator.id);
    expect(carol.map((o) => o.id)).not.toContain(id);
    expect((await get(hub.app, `${client().taxii}/objects/${id}/`, 'carol')).status).toBe(404);
    expect(await changesAbout('carol', id)).toEqual([]);
  });

  test('across a link without pass-down, an AMBER sighting reaches the provider of the indicator and not its branch', async () => {
    const alliance = client(DEMO_COLLECTIONS.allianceExchange);
    const indicator = stixIndicator('green');
    expect((await alliance.post('dave', [indicator])).status).toBe(202);
    const sighting = stixSighting('amber', String(indicator.id));
    const posted = await alliance.post('bob', [sighting]);
    expect(statusOf(posted).failures ?? []).toEqual([]);
    const id = String(sighting.id);
    expect((await get(hub.app, `${alliance.taxii}/objects/${id}/`, 'dave')).status).toBe(200);
    expect(await changesAbout('dave', id, DEMO_COLLECTIONS.allianceExchange)).toEqual(['created']);
    expect((await get(hub.app, `${alliance.taxii}/objects/${id}/`, 'erin')).status).toBe(404);
    expect(await changesAbout('erin', id, DEMO_COLLECTIONS.allianceExchange)).toEqual([]);
  });

  test('a sighting of an indicator that is not stored, or that the writer may not read, is accepted and reaches nobody new', async () => {
    const alliance = client(DEMO_COLLECTIONS.allianceExchange);
    const hidden = stixIndicator('amber'); // globex-hq's AMBER: acme-east may not read it (no pass-down)
    expect((await alliance.post('dave', [hidden])).status).toBe(202);
    for (const target of [`indicator--${randomUUID()}`, String(hidden.id)]) {
      const sighting = stixSighting('amber', target);
      const posted = await alliance.post('bob', [sighting]);
      expect(posted.status).toBe(202);
      expect(statusOf(posted).failures ?? []).toEqual([]);
      expect((await get(hub.app, `${alliance.taxii}/objects/${String(sighting.id)}/`, 'bob')).status).toBe(200);
      expect((await get(hub.app, `${alliance.taxii}/objects/${String(sighting.id)}/`, 'dave')).status).toBe(404);
    }
  });
});
