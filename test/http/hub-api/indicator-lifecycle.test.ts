import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import { MESSAGES } from '../../../src/services/object-ingest-service';
import { RELISTED_RELATIONSHIP } from '../../../src/services/indicator-writer';
import { indicator } from '../../support/stix-fixtures';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { TAXII, get, json, objectsOf } from '../taxii21/objects-fixture';

const ACME = DEMO_COLLECTIONS.acmeInternal;
const TAXII_COLLECTION = `/demo/collections/${ACME}`;

describe.each(testEngines())('the indicator lifecycle on %s', (engine) => {
  let hub: DemoConfigHub;
  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
  });
  afterAll(() => hub.close());

  const api = (method: 'get' | 'post', path: string, username: string, body?: unknown) => {
    const req = request(hub.app)[method](`/api${path}`).set('Authorization', demoAuth(username));
    return body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };
  const submitOne = async (username: string, value: string, extra: Record<string, unknown> = {}) => {
    const res = await api('post', '/submissions', username, { collection: ACME, valid_from: '2026-11-01T00:00:00Z', ...extra, indicators: [{ kind: 'url', value }] });
    expect(res.status).toBe(200);
    return (json(res).indicators as { id: string; outcome: string }[])[0] as { id: string; outcome: string };
  };
  const transition = (username: string, id: string, to: 'revoke' | 'benign', body: unknown = {}) => api('post', `/collections/${ACME}/indicators/${id}/${to}`, username, body);
  const history = (username: string, id: string) => api('get', `/collections/${ACME}/indicators/${id}`, username);
  const taxiiPost = (username: string, collection: string, objects: unknown[]) =>
    request(hub.app).post(`/demo/collections/${collection}/objects/`).set('Authorization', demoAuth(username)).set('Accept', TAXII).set('Content-Type', TAXII).send(JSON.stringify({ objects }));
  const ids = (res: request.Response) => objectsOf(res).map((o) => o.id);

  test('a consumer polling incrementally sees active, then benign with its reason, on its next poll; a consumer not entitled sees neither', async () => {
    const { id } = await submitOne('bob', `https://shop-${engine}.example/compromised/`);
    const first = await get(hub.app, `${TAXII_COLLECTION}/objects/`, 'alice');
    const active = objectsOf(first).filter((o) => o.id === id);
    expect(active).toEqual([expect.objectContaining({ extensions: { [HUB_EXTENSION_ID]: expect.objectContaining({ state: 'active' }) } })]);
    expect(active[0]?.revoked).toBeUndefined();
    const cursor = first.headers['x-taxii-date-added-last'] as string;

    const benign = await transition('bob', id, 'benign', { reason: 'the shop was cleaned on 2026-12-01' });
    expect(benign.status).toBe(200);
    expect(json(benign)).toMatchObject({ id, state: 'benign', reason: 'the shop was cleaned on 2026-12-01', provider: 'acme-east' });

    const next = objectsOf(await get(hub.app, `${TAXII_COLLECTION}/objects/?added_after=${cursor}`, 'alice'));
    expect(next).toEqual([
      expect.objectContaining({
        id,
        revoked: true,
        modified: json(benign).version,
        extensions: { [HUB_EXTENSION_ID]: expect.objectContaining({ state: 'benign', state_reason: 'the shop was cleaned on 2026-12-01', kind: 'url' }) },
      }),
    ]);
    expect(ids(await get(hub.app, `${TAXII_COLLECTION}/objects/`, 'carol'))).not.toContain(id);
    expect((await get(hub.app, `${TAXII_COLLECTION}/objects/${id}/versions/`, 'carol')).status).toBe(404);
  });

  test('a revoked indicator cannot be un-revoked by any path; re-listing the value creates a new indicator linked to the old one', async () => {
    const value = `https://c2-${engine}.example/gate.php`;
    const { id } = await submitOne('bob', value);
    expect(json(await transition('bob', id, 'revoke', { reason: 'shared by mistake' }))).toMatchObject({ state: 'revoked', reason: 'shared by mistake' });
    expect((await transition('bob', id, 'revoke')).status).toBe(409);
    expect((await transition('bob', id, 'benign', { reason: 'x' })).status).toBe(409);

    const [revoked] = objectsOf(await get(hub.app, `${TAXII_COLLECTION}/objects/${id}/`, 'bob'));
    const unrevoke = { ...revoked, revoked: false, modified: '2099-01-01T00:00:00.000Z' };
    const posted = json(await taxiiPost('bob', ACME, [unrevoke]));
    expect(posted).toMatchObject({ failure_count: 1, failures: [{ id, message: MESSAGES.revoked }] });

    const relisted = await submitOne('bob', value);
    expect(relisted.outcome).toBe('created');
    expect(relisted.id).not.toBe(id);
    const links = objectsOf(await get(hub.app, `${TAXII_COLLECTION}/objects/?match[type]=relationship`, 'alice')).filter((r) => r.source_ref === relisted.id);
    expect(links).toEqual([expect.objectContaining({ relationship_type: RELISTED_RELATIONSHIP, target_ref: id })]);
  });

  test('posting a revoked version over TAXII revokes the indicator, audited like any transition', async () => {
    const v1 = indicator({ created: '2026-10-01T00:00:00.000Z', modified: '2026-10-01T00:00:00.000Z' });
    const v2 = { ...v1, modified: '2026-10-02T00:00:00.000Z', revoked: true };
    expect(json(await taxiiPost('bob', ACME, [v1, v2]))).toMatchObject({ success_count: 2 });
    const seen = json(await history('bob', v1.id as string));
    expect(seen).toMatchObject({ state: 'revoked', versions: [{ state: 'active', written_by: 'bob' }, { state: 'revoked', written_by: 'bob' }] });
    expect(seen.transitions).toEqual([expect.objectContaining({ action: 'indicator.revoke', actor: 'bob', version: '2026-10-02T00:00:00.000Z' })]);
  });

  test('the history shows every version, transition and reason to those who may read the indicator; actors to its provider and operators only', async () => {
    const { id } = await submitOne('bob', `https://history-${engine}.example/`);
    await submitOne('bob', `https://history-${engine}.example/`, { confidence: 70 });
    await transition('bob', id, 'benign', { reason: 'sinkholed by the registrar' });

    const own = json(await history('bob', id));
    expect(own).toMatchObject({ id, state: 'benign', reason: 'sinkholed by the registrar' });
    expect((own.versions as { state: string }[]).map((v) => v.state)).toEqual(['active', 'active', 'benign']);
    expect(own.transitions).toEqual([expect.objectContaining({ action: 'indicator.benign', reason: 'sinkholed by the registrar', actor: 'bob' })]);

    const headOffice = json(await history('alice', id));
    expect(headOffice.versions).toHaveLength(3);
    expect(JSON.stringify(headOffice)).not.toContain('"written_by"');
    expect(JSON.stringify(headOffice)).not.toContain('"actor"');
    expect(json(await history('operator', id)).transitions).toEqual([expect.objectContaining({ actor: 'bob' })]);
    expect((await history('carol', id)).status).toBe(404);
    expect((await history('frank', id)).status).toBe(404);
  });

  test('only the provider organization or an operator may change an indicator; others get 403 when they can read it, 404 when they cannot', async () => {
    const { id } = await submitOne('bob', `https://perm-${engine}.example/`);
    expect((await transition('alice', id, 'revoke')).status).toBe(403);
    expect((await transition('carol', id, 'revoke')).status).toBe(404);
    expect((await transition('frank', id, 'revoke')).status).toBe(404);
    expect((await transition('bob', id, 'benign', {})).status).toBe(400); // a reason is required
    expect((await transition('operator', id, 'revoke', { reason: 'hub policy' })).status).toBe(200);
  });

  test('an indicator past its valid_until is expired in the hub API and still served over TAXII as it is', async () => {
    const { id } = await submitOne('bob', `https://old-${engine}.example/`, { valid_from: '2020-01-01T00:00:00Z', valid_until: '2020-02-01T00:00:00Z' });
    expect(json(await history('bob', id))).toMatchObject({ state: 'expired', versions: [{ state: 'expired' }] });
    const [served] = objectsOf(await get(hub.app, `${TAXII_COLLECTION}/objects/${id}/`, 'alice'));
    expect(served).toMatchObject({ valid_until: '2020-02-01T00:00:00.000000Z' });
    expect(served?.revoked).toBeUndefined();
  });

  test('a purge leaves no version of the object in any collection or query path, and is audited with its reason', async () => {
    const shared = indicator();
    const id = shared.id as string;
    for (const collection of [ACME, DEMO_COLLECTIONS.allianceExchange]) expect(json(await taxiiPost('alice', collection, [shared]))).toMatchObject({ success_count: 1 });
    expect((await api('post', `/indicators/${id}/purge`, 'bob', { reason: 'x' })).status).toBe(403); // a provider, not an org-admin
    expect((await api('post', `/indicators/${id}/purge`, 'heidi', { reason: 'x' })).status).toBe(404); // another organization's admin
    expect((await api('post', `/indicators/${id}/purge`, 'alice', {})).status).toBe(400); // a reason is required

    const purged = await api('post', `/indicators/${id}/purge`, 'alice', { reason: 'contained customer data' });
    expect(purged.status).toBe(200);
    expect((json(purged).purged_versions as unknown[]).length).toBe(2);
    for (const collection of [ACME, DEMO_COLLECTIONS.allianceExchange]) {
      const base = `/demo/collections/${collection}`;
      expect(ids(await get(hub.app, `${base}/objects/?limit=1000`, 'operator'))).not.toContain(id);
      expect(objectsOf(await get(hub.app, `${base}/manifest/?limit=1000`, 'operator')).map((m) => m.id)).not.toContain(id);
      expect((await get(hub.app, `${base}/objects/${id}/`, 'operator')).status).toBe(404);
      expect((await get(hub.app, `${base}/objects/${id}/versions/`, 'operator')).status).toBe(404);
    }
    expect((await history('operator', id)).status).toBe(404);
    const audit = json(await request(hub.app).get(`/admin/api/audit?entity_type=indicator&entity_id=${id}`).set('Authorization', demoAuth('operator')));
    expect(JSON.stringify(audit)).toContain('contained customer data');
  });

  test('after a purge, submitting the value again starts a new indicator', async () => {
    const value = `https://purged-${engine}.example/${randomUUID()}`;
    const first = await submitOne('alice', value);
    expect((await api('post', `/indicators/${first.id}/purge`, 'operator', { reason: 'mistake' })).status).toBe(200);
    const again = await submitOne('alice', value);
    expect(again.outcome).toBe('created');
    expect(again.id).not.toBe(first.id);
  });

  describe('listing', () => {
    interface Listed { id: string; state: string; provider: string; kind?: string; reason?: string }
    const list = async (username: string, query = '') => {
      const res = await api('get', `/collections/${ACME}/indicators${query}`, username);
      expect(res.status).toBe(200);
      return json(res) as { indicators: Listed[]; next_after?: string };
    };
    const all = async (username: string, query = '') => {
      const found: Listed[] = [];
      let after: string | undefined;
      do {
        const page = await list(username, `?limit=7${query}${after !== undefined ? `&after=${after}` : ''}`);
        found.push(...page.indicators);
        after = page.next_after;
      } while (after !== undefined);
      return found;
    };

    test('filtering by state in the store agrees with the state each indicator shows, in every state', async () => {
      const tag = `list-${engine}`;
      const active = await submitOne('bob', `https://${tag}.example/active`);
      const expired = await submitOne('bob', `https://${tag}.example/expired`, { valid_from: '2020-01-01T00:00:00Z', valid_until: '2020-02-01T00:00:00Z' });
      const revoked = await submitOne('bob', `https://${tag}.example/revoked`);
      await transition('bob', revoked.id, 'revoke');
      const benign = await submitOne('bob', `https://${tag}.example/benign`);
      await transition('bob', benign.id, 'benign', { reason: 'cleaned' });
      const unbounded = indicator({ valid_until: undefined }); // posted over TAXII without valid_until
      const taxiiRevoked = indicator({ revoked: true });
      expect(json(await taxiiPost('bob', ACME, [unbounded, taxiiRevoked]))).toMatchObject({ success_count: 2 });

      const everything = await all('bob', '&provider=acme-east');
      const stateById = new Map(everything.map((i) => [i.id, i.state]));
      expect([active.id, expired.id, revoked.id, benign.id, unbounded.id, taxiiRevoked.id].map((id) => stateById.get(id as string)))
        .toEqual(['active', 'expired', 'revoked', 'benign', 'active', 'revoked']);
      for (const state of ['active', 'expired', 'revoked', 'benign']) {
        const filtered = (await all('bob', `&provider=acme-east&state=${state}`)).map((i) => i.id).sort();
        expect({ state, ids: filtered }).toEqual({ state, ids: everything.filter((i) => i.state === state).map((i) => i.id).sort() });
      }
      expect(everything.find((i) => i.id === benign.id)).toMatchObject({ reason: 'cleaned', kind: 'url' });
    });

    test('a consumer lists only what it may read, each indicator once in its latest readable version', async () => {
      const { id } = await submitOne('bob', `https://listed-once-${engine}.example/`);
      await submitOne('bob', `https://listed-once-${engine}.example/`, { confidence: 5 });
      const headOffice = await all('alice');
      expect(headOffice.filter((i) => i.id === id)).toHaveLength(1);
      expect((await all('carol')).some((i) => i.provider === 'acme-east' && i.id === id)).toBe(false);
      expect((await api('get', `/collections/${ACME}/indicators?state=dormant`, 'alice')).status).toBe(400);
      expect((await api('get', `/collections/${DEMO_COLLECTIONS.initechPrivate}/indicators`, 'bob')).status).toBe(404);
    });
  });
});
