import request from 'supertest';
import { markingRefFor, TLP2_MARKING_REFS } from '../../../src/domain/tlp';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { del } from '../taxii21/objects-fixture';
import { itemsOf, namedIds, relationship, sharingClient, statusOf, stixIndicator, unreadableReferences, UUID4 } from './sharing-fixture';

/**
 * Issue 10, rules 3 and 4: a reader never receives a reference to an object it cannot read; hub-made
 * objects are marked at least as strictly as what they link, with random UUIDv4 ids; purge leaves
 * nothing naming the purged object; identities reach only those who read the provider's objects;
 * `attribution: hidden` hides providers; consumers see the marking that governs what they hold.
 */
describe.each(testEngines())('hub-made objects and references, on %s', (engine) => {
  let hub: DemoConfigHub;
  let acme: ReturnType<typeof sharingClient>;
  let isac: ReturnType<typeof sharingClient>;
  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
    acme = sharingClient(hub, DEMO_COLLECTIONS.acmeInternal);
    isac = sharingClient(hub, DEMO_COLLECTIONS.isacFeed);
  });
  afterAll(() => hub.close());

  test('a campaign named in a RED submission and then a GREEN one: GREEN readers get a campaign they can read, never a link to the RED one', async () => {
    const red = itemsOf(await acme.submit('bob', { marking: { tlp: 'red', recipients: ['acme-hq'] }, campaign: 'Operation Quiet Lake', indicators: [{ kind: 'c2-ip', value: '203.0.113.71' }] }));
    const green = itemsOf(await acme.submit('bob', { marking: { tlp: 'green' }, campaign: 'Operation Quiet Lake', indicators: [{ kind: 'c2-ip', value: '203.0.113.72' }] }));
    const carol = await acme.everything('carol');
    const links = carol.filter((o) => o.type === 'relationship' && o.source_ref === green[0]?.id);
    expect(links).toHaveLength(1);
    const campaign = carol.find((o) => o.id === links[0]?.target_ref);
    expect(campaign).toMatchObject({ type: 'campaign', name: 'Operation Quiet Lake', object_marking_refs: [TLP2_MARKING_REFS.green] });
    expect(carol.map((o) => o.id)).not.toContain(red[0]?.id);
    expect(await unreadableReferences(acme, 'carol')).toEqual([]);
    // Every id the hub made is a random UUIDv4.
    for (const object of await acme.everything('operator')) {
      if (['campaign', 'relationship', 'identity'].includes(String(object.type))) expect(String(object.id)).toMatch(UUID4);
    }
  });

  test('a provider that shares only RED is known only to its recipients', async () => {
    const hub2 = sharingClient(hub, DEMO_COLLECTIONS.allianceExchange);
    // erin (globex-lab) shares RED to globex-hq only, in the alliance exchange.
    itemsOf(await hub2.submit('erin', { marking: { tlp: 'red', recipients: ['globex-hq'] }, indicators: [{ kind: 'url', value: 'https://lab-only.example/x' }] }));
    const identityNames = async (username: string) => (await hub2.everything(username)).filter((o) => o.type === 'identity').map((o) => o.name);
    expect(await identityNames('dave')).toContain('Globex Research Lab');
    expect(await identityNames('alice')).not.toContain('Globex Research Lab');
    expect(await unreadableReferences(hub2, 'alice')).toEqual([]);
  });

  test("a provider's identity is reused for every audience it already reaches, and a wider audience gets its own", async () => {
    const alliance = sharingClient(hub, DEMO_COLLECTIONS.allianceExchange);
    const creatorOf = async (body: Record<string, unknown>) => {
      const [item] = itemsOf(await alliance.submit('dave', body));
      return (await alliance.everything('operator')).find((o) => o.id === item?.id)?.created_by_ref;
    };
    const red = await creatorOf({ marking: { tlp: 'red', recipients: ['globex-lab'] }, indicators: [{ kind: 'c2-ip', value: '198.51.100.201' }] });
    const green = await creatorOf({ marking: { tlp: 'green' }, indicators: [{ kind: 'c2-ip', value: '198.51.100.202' }] });
    const amber = await creatorOf({ marking: { tlp: 'amber' }, indicators: [{ kind: 'c2-ip', value: '198.51.100.203' }] });
    expect(green).not.toBe(red); // the RED identity may not reach GREEN readers
    expect(amber).toBe(green); // the GREEN identity reaches every AMBER reader
    expect(await unreadableReferences(alliance, 'alice')).toEqual([]);
    expect(await unreadableReferences(alliance, 'erin')).toEqual([]);
  });

  test('over TAXII an object may not name an object some of its readers cannot read, whichever arrives first', async () => {
    const amber = stixIndicator('amber');
    expect(statusOf(await acme.post('bob', [amber])).successes).toHaveLength(1);
    const greenLink = relationship(String(amber.id), String(amber.id).replace(/.$/, '0'), 'green');
    const refused = statusOf(await acme.post('bob', [greenLink]));
    expect(refused.failures?.[0]?.message).toContain(`the object names ${String(amber.id)} (TLP:AMBER), which some of its readers may not read`);

    // The referrer first, then a narrower target: the target is refused.
    const later = stixIndicator('amber');
    const early = relationship(String(later.id), String(amber.id), 'amber');
    expect(statusOf(await acme.post('bob', [early])).successes).toHaveLength(1);
    const greenReferrer = relationship(String(later.id), String(later.id).replace(/.$/, '1'), 'green');
    expect(statusOf(await acme.post('bob', [greenReferrer])).successes).toHaveLength(1);
    const failed = statusOf(await acme.post('bob', [later]));
    expect(failed.failures?.[0]?.message).toContain(`${String(greenReferrer.id)} (TLP:GREEN) already names this object`);
    expect(statusOf(await acme.post('bob', [{ ...later, object_marking_refs: [markingRefFor('green')] }])).successes).toHaveLength(1);
    expect(await unreadableReferences(acme, 'carol')).toEqual([]);
  });

  test('purge removes the relationships naming the purged indicator and the campaign that existed only for it', async () => {
    const first = itemsOf(await acme.submit('bob', { marking: { tlp: 'green' }, campaign: 'Operation Purge Me', indicators: [{ kind: 'c2-hostname', value: 'purge-me.example' }] }))[0];
    await request(hub.app).post(`/api/collections/${DEMO_COLLECTIONS.acmeInternal}/indicators/${String(first?.id)}/revoke`).set('Authorization', demoAuth('bob')).set('Content-Type', 'application/json').send('{}');
    const relisted = itemsOf(await acme.submit('bob', { marking: { tlp: 'green' }, indicators: [{ kind: 'c2-hostname', value: 'purge-me.example' }] }))[0];
    const before = await acme.everything('operator');
    const campaign = before.find((o) => o.type === 'relationship' && o.source_ref === first?.id && o.relationship_type === 'indicates')?.target_ref;
    expect(campaign).toBeDefined();
    const purged = await request(hub.app).post(`/api/indicators/${String(first?.id)}/purge`).set('Authorization', demoAuth('operator')).set('Content-Type', 'application/json').send(JSON.stringify({ reason: 'shared by mistake' }));
    expect(purged.status).toBe(200);
    const after = await acme.everything('operator');
    const naming = after.filter((o) => namedIds(o).has(String(first?.id)));
    expect(naming).toEqual([]);
    expect(after.map((o) => o.id)).not.toContain(campaign);
    expect(after.map((o) => o.id)).toContain(relisted?.id);
  });

  test('the TLP marking-definitions an object uses are served in its collection, as OASIS publishes them', async () => {
    expect(statusOf(await acme.post('bob', [stixIndicator(undefined)])).successes).toHaveLength(1);
    const served = (await acme.everything('carol')).filter((o) => o.type === 'marking-definition');
    expect(served).toContainEqual({
      type: 'marking-definition', spec_version: '2.1', id: TLP2_MARKING_REFS.clear, created: '2022-10-01T00:00:00.000Z', name: 'TLP:CLEAR',
      extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: 'clear' } },
    });
    const alice = await acme.everything('alice');
    const markings = new Set(alice.filter((o) => o.type === 'marking-definition').map((o) => o.id));
    for (const object of alice) for (const ref of (object.object_marking_refs as string[] | undefined) ?? []) expect(markings).toContain(ref);
  });

  test('a RED object naming an organization the hub does not know is refused, naming it', async () => {
    const status = statusOf(await acme.post('bob', [stixIndicator('red', {}, ['acme-hq', 'no-such-org'])]));
    expect(status.failures?.[0]?.message).toContain('TLP:RED names "no-such-org", an organization this hub does not know');
  });

  test("the hub's shared definitions are not deleted by the organization that happened to write them first, nor purged", async () => {
    expect(statusOf(await acme.post('bob', [stixIndicator('green')])).successes).toHaveLength(1);
    const definitions = (await acme.everything('bob')).filter((o) => ['marking-definition', 'extension-definition'].includes(String(o.type)) || o.identity_class === 'system');
    expect(definitions.length).toBeGreaterThanOrEqual(3);
    for (const definition of definitions) {
      const res = await del(hub.app, `${acme.taxii}/objects/${String(definition.id)}/`, 'bob');
      expect([definition.id, res.status]).toEqual([definition.id, 403]);
    }
    const purge = await request(hub.app).post(`/api/indicators/${TLP2_MARKING_REFS.clear}/purge`).set('Authorization', demoAuth('operator')).set('Content-Type', 'application/json').send(JSON.stringify({ reason: 'tidy up' }));
    expect(purge.status).toBe(403);
    expect((await acme.everything('carol')).map((o) => o.id)).toEqual(expect.arrayContaining(definitions.map((d) => d.id)));
  });

  test('attribution hidden: the hub API names no provider to other members, and refuses to filter by one', async () => {
    const [item] = itemsOf(await isac.submit('alice', { marking: { tlp: 'green' }, indicators: [{ kind: 'c2-ip', value: '192.0.2.66' }] }));
    const api = (username: string, path: string) => request(hub.app).get(`/api${path}`).set('Authorization', demoAuth(username));
    const asDave = await api('dave', `/collections/${DEMO_COLLECTIONS.isacFeed}/indicators/${String(item?.id)}`);
    expect(asDave.status).toBe(200);
    expect(asDave.body.provider).toBeUndefined();
    expect(JSON.stringify(asDave.body)).not.toContain('acme-hq');
    const listed = await api('dave', `/collections/${DEMO_COLLECTIONS.isacFeed}/indicators`);
    expect(JSON.stringify(listed.body)).not.toContain('acme-hq');
    expect((await api('dave', `/collections/${DEMO_COLLECTIONS.isacFeed}/indicators?provider=acme-hq`)).status).toBe(400);
    expect((await api('alice', `/collections/${DEMO_COLLECTIONS.isacFeed}/indicators/${String(item?.id)}`)).body.provider).toBe('acme-hq');
    expect((await api('operator', `/collections/${DEMO_COLLECTIONS.isacFeed}/indicators/${String(item?.id)}`)).body.provider).toBe('acme-hq');
  });

  test('attribution hidden: the hub stands in as creator, provider identities are not served, a posted creator is refused', async () => {
    const [item] = itemsOf(await isac.submit('alice', { marking: { tlp: 'green' }, indicators: [{ kind: 'c2-ip', value: '192.0.2.55' }] }));
    const daveView = await isac.everything('dave');
    const indicator = daveView.find((o) => o.id === item?.id);
    const hubIdentity = daveView.find((o) => o.id === indicator?.created_by_ref);
    expect(hubIdentity).toMatchObject({ type: 'identity', name: 'taxii-hub', identity_class: 'system' });
    expect(daveView.filter((o) => o.type === 'identity' && o.identity_class === 'organization')).toEqual([]);

    const posted = stixIndicator('green', { created_by_ref: 'identity--5e3a0f5e-8d8e-4f3c-9e0b-6a7d1c2b3a4f' });
    const refused = statusOf(await isac.post('alice', [posted]));
    expect(refused.failures?.[0]?.message).toBe(`attribution is hidden in this collection, so objects may not name their creator: omit created_by_ref, or use the hub's identity ${String(hubIdentity?.id)}`);
    expect(statusOf(await isac.post('alice', [{ ...posted, created_by_ref: hubIdentity?.id }])).successes).toHaveLength(1);
  });
});
