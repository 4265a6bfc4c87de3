import request from 'supertest';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { get, json, objectsOf } from '../taxii21/objects-fixture';

const ACME = DEMO_COLLECTIONS.acmeInternal;

interface Figure { provider?: string; tlp: string; objects: number; last_added: string }
interface Figures { objects: number; last_added?: string; can_read: boolean; can_write: boolean; by_provider_and_tlp: Figure[]; entitled?: { organization: string; write: boolean }[]; owner?: unknown }

describe.each(testEngines())('collection figures on %s: counts per provider and TLP over what the caller may read', (engine) => {
  let hub: DemoConfigHub;
  const figures = async (username: string, collection: string = ACME): Promise<Figures> => {
    const res = await request(hub.app).get(`/api/collections/${collection}/figures`).set('Authorization', demoAuth(username));
    expect(res.status).toBe(200);
    return json(res) as unknown as Figures;
  };
  const count = (f: Figures, provider: string, tlp: string) => f.by_provider_and_tlp.find((r) => r.provider === provider && r.tlp === tlp)?.objects ?? 0;
  const submit = async (username: string, tlp: string, values: string[], collection: string = ACME) => {
    const res = await request(hub.app).post('/api/submissions').set('Authorization', demoAuth(username)).set('Content-Type', 'application/json')
      .send(JSON.stringify({ collection, marking: { tlp }, valid_from: '2026-11-01T00:00:00Z', indicators: values.map((value) => ({ kind: 'c2-ip', value })) }));
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
    await submit('bob', 'amber', ['198.51.100.1', '198.51.100.2']);
    await submit('bob', 'green', ['198.51.100.3']);
    await submit('alice', 'amber', ['198.51.100.4']);
    await submit('alice', 'green', ['198.51.100.5'], 'isac-feed');
    await submit('dave', 'green', ['198.51.100.6'], 'isac-feed');
  });
  afterAll(() => hub.close());

  test("carol (acme-west) is not counted her sibling's AMBER objects; alice (the head office) is", async () => {
    const alice = await figures('alice');
    const carol = await figures('carol');
    expect(count(alice, 'acme-east', 'amber')).toBeGreaterThanOrEqual(2);
    expect(count(carol, 'acme-east', 'amber')).toBe(0);
    expect(count(carol, 'acme-east', 'green')).toBeGreaterThanOrEqual(1);
    expect(carol.objects).toBeLessThan(alice.objects);
    expect(carol).toMatchObject({ can_read: true, can_write: false });
    expect(carol.entitled).toBeUndefined();
    expect(alice.last_added).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  test('every total is exactly what the caller reads over TAXII 2.1 (the latest version of each object)', async () => {
    for (const username of ['alice', 'bob', 'carol', 'operator']) {
      const taxii = objectsOf(await get(hub.app, `/demo/collections/${ACME}/objects/`, username));
      const f = await figures(username);
      expect([username, f.objects]).toEqual([username, taxii.length]);
      expect(f.by_provider_and_tlp.reduce((sum, r) => sum + r.objects, 0)).toBe(f.objects);
    }
  });

  test('operators also learn the owner and the entitled organizations; an alias works; others get 404 and 401', async () => {
    const operator = await figures('operator', 'acme-internal');
    expect(operator.owner).toEqual({ trust_group: 'acme-tree' });
    expect(operator.entitled?.find((e) => e.organization === 'acme-west')).toEqual({ organization: 'acme-west', write: true });
    expect((await request(hub.app).get(`/api/collections/${ACME}/figures`).set('Authorization', demoAuth('frank'))).status).toBe(404);
    expect((await request(hub.app).get(`/api/collections/${ACME}/figures`)).status).toBe(401);
  });

  test('where the collection hides attribution (isac-feed), a member learns only its own figures as its own; operators see every provider', async () => {
    const dave = await figures('dave', 'isac-feed');
    expect(dave.by_provider_and_tlp.some((r) => r.provider === 'acme-hq')).toBe(false);
    expect(dave.by_provider_and_tlp.some((r) => r.provider === 'globex-hq')).toBe(true);
    expect(dave.by_provider_and_tlp.find((r) => r.provider === undefined && r.tlp === 'green')?.objects).toBeGreaterThanOrEqual(1);
    const operator = await figures('operator', 'isac-feed');
    expect(operator.by_provider_and_tlp.some((r) => r.provider === 'acme-hq')).toBe(true);
    expect(operator.objects).toBe(dave.objects);
  });
});
