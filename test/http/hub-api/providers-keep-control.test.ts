import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { indicator } from '../../support/stix-fixtures';
import { testEngines } from '../../support/test-databases';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { TAXII, del, get, json, objectsOf } from '../taxii21/objects-fixture';

/**
 * Issue 10, item 2: an organization keeps control of what it shared. Whatever its membership or
 * write entitlement, it may revoke, mark benign, DELETE (TAXII 2.1) and purge its own objects, with
 * the roles these actions always need; nothing else of the collection becomes visible to it.
 *
 * The hub: the demo configuration plus a horizontal group `peers` (initech, globex-hq, vandelay)
 * and its collection, default marking GREEN. Initech (frank: provider, consumer, org-admin) shares
 * there, then an operator removes initech from the group; globex-hq (dave) and vandelay stay.
 */
describe.each(testEngines())('providers keep control of what they shared, on %s', (engine) => {
  let hub: DemoConfigHub;
  const PEERS = randomUUID();
  const MEMBERS = ['initech', 'globex-hq', 'vandelay'];
  const taxiiCollection = (collection = PEERS) => `/demo/collections/${collection}`;

  const admin = (method: 'post' | 'patch', path: string, body: unknown) =>
    request(hub.app)[method](`/admin/api${path}`).set('Authorization', demoAuth('operator')).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const api = (path: string, username: string, body: unknown = {}) =>
    request(hub.app).post(`/api${path}`).set('Authorization', demoAuth(username)).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const history = (username: string, id: string, collection = PEERS) =>
    request(hub.app).get(`/api/collections/${collection}/indicators/${id}`).set('Authorization', demoAuth(username));
  const transition = (username: string, id: string, to: 'revoke' | 'benign', body: unknown = {}, collection = PEERS) => api(`/collections/${collection}/indicators/${id}/${to}`, username, body);
  const purge = (username: string, id: string) => api(`/indicators/${id}/purge`, username, { reason: 'shared by mistake' });
  const taxiiPost = (username: string, objects: unknown[], collection = PEERS) =>
    request(hub.app).post(`${taxiiCollection(collection)}/objects/`).set('Authorization', demoAuth(username)).set('Accept', TAXII).set('Content-Type', TAXII).send(JSON.stringify({ objects }));
  const objectPath = (id: string, collection = PEERS) => `${taxiiCollection(collection)}/objects/${id}/`;

  /** Submits one url indicator through the hub API; its id. */
  const submit = async (username: string, value: string, collection = PEERS): Promise<string> => {
    const res = await api('/submissions', username, { collection, valid_from: '2026-11-01T00:00:00Z', indicators: [{ kind: 'url', value }] });
    expect(res.status).toBe(200);
    return (json(res).indicators as { id: string }[])[0]?.id as string;
  };
  /** Posts objects over TAXII 2.1; all must succeed. */
  const post = async (username: string, objects: Record<string, unknown>[], collection = PEERS) => {
    expect(json(await taxiiPost(username, objects, collection))).toMatchObject({ success_count: objects.length });
  };
  const setMembers = async (members: string[]) => expect((await admin('patch', '/trust-groups/peers', { members })).status).toBe(200);
  /** Shares as a member of `peers`, then has an operator remove initech from the group. */
  const shareThenLeave = async <T>(share: () => Promise<T>): Promise<T> => {
    await setMembers(MEMBERS);
    const shared = await share();
    await setMembers(MEMBERS.filter((m) => m !== 'initech'));
    return shared;
  };
  const ids = (res: request.Response) => objectsOf(res).map((o) => o.id);

  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
    expect((await admin('post', '/trust-groups', { id: 'peers', name: 'Peers', topology: 'horizontal', members: MEMBERS })).status).toBe(201);
    expect((await admin('post', '/collections', { id: PEERS, api_root: 'demo', alias: 'peers-exchange', title: 'Peers exchange', owner: { trust_group: 'peers' }, default_marking: 'green' })).status).toBe(201);
    // More users of initech, one role each (password `<username>-demo-pw`, as demoAuth sends).
    for (const [username, role] of [['ivan', 'provider'], ['irene', 'consumer']] as const) {
      expect((await admin('post', '/users', { username, organization: 'initech', roles: [role], password: `${username}-demo-pw` })).status).toBe(201);
    }
  });
  afterAll(() => hub.close());

  describe('an organization removed from the trust group', () => {
    test('the group still reads its CLEAR and GREEN objects, and it no longer sees the collection', async () => {
      const [green, clear] = await shareThenLeave(async () => {
        const clearObject = indicator({ object_marking_refs: ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'] });
        await post('frank', [clearObject]);
        return [await submit('frank', `https://premise-${engine}.example/`), clearObject.id as string];
      });
      expect(ids(await get(hub.app, `${taxiiCollection()}/objects/?limit=1000`, 'dave'))).toEqual(expect.arrayContaining([green, clear]));
      expect((await get(hub.app, `${taxiiCollection()}/objects/`, 'frank')).status).toBe(404);
      expect((await get(hub.app, `${taxiiCollection()}/`, 'frank')).status).toBe(404);
      expect(((json(await get(hub.app, '/demo/collections/', 'frank')).collections ?? []) as { id: string }[]).map((c) => c.id)).not.toContain(PEERS);
    });

    test('revokes and marks benign its own indicators, submitted or posted over TAXII; the group receives the change', async () => {
      const [submitted, benign, posted] = await shareThenLeave(async () => {
        const overTaxii = indicator();
        await post('frank', [overTaxii]);
        return [await submit('frank', `https://revoke-${engine}.example/`), await submit('frank', `https://benign-${engine}.example/`), overTaxii.id as string];
      });
      const revoked = await transition('frank', submitted, 'revoke', { reason: 'withdrawn after leaving' });
      expect(revoked.status).toBe(200);
      expect(json(revoked)).toEqual({ id: submitted, collection: PEERS, provider: 'initech', state: 'revoked', reason: 'withdrawn after leaving', version: expect.any(String) });
      expect(json(await transition('frank', benign, 'benign', { reason: 'the site was cleaned' }))).toMatchObject({ id: benign, state: 'benign' });
      expect(json(await transition('ivan', posted, 'revoke'))).toMatchObject({ id: posted, state: 'revoked' }); // the provider role suffices, as for a member

      const seen = objectsOf(await get(hub.app, `${taxiiCollection()}/objects/?limit=1000`, 'dave'));
      expect(seen.filter((o) => [submitted, benign, posted].includes(o.id as string)).map((o) => [o.id, o.revoked])).toEqual(
        expect.arrayContaining([[submitted, true], [benign, true], [posted, true]]),
      );
      // Revocation stays final for it too.
      expect((await transition('frank', submitted, 'benign', { reason: 'x' })).status).toBe(409);
    });

    test('deletes its own objects over TAXII 2.1, by id or alias and with the version filters; the answer is {} and the group no longer has them', async () => {
      const [twoVersions, submitted] = await shareThenLeave(async () => {
        const first = indicator({ modified: '2026-01-02T00:00:00.000Z' });
        await post('frank', [first, { ...first, modified: '2026-01-03T00:00:00.000Z' }]);
        return [first.id as string, await submit('frank', `https://delete-${engine}.example/`)];
      });
      const firstOnly = await del(hub.app, `${objectPath(twoVersions)}?match[version]=first`, 'frank');
      expect(firstOnly.status).toBe(200);
      expect(json(firstOnly)).toEqual({});
      expect(objectsOf(await get(hub.app, `${objectPath(twoVersions)}?match[version]=all`, 'dave')).map((o) => o.modified)).toEqual(['2026-01-03T00:00:00.000Z']);
      expect((await del(hub.app, `${objectPath(twoVersions)}?match[version]=2026-01-02T00:00:00.000Z`, 'frank')).status).toBe(404); // nothing left matches
      expect((await del(hub.app, `/demo/collections/peers-exchange/objects/${twoVersions}/`, 'frank')).status).toBe(200);
      expect((await del(hub.app, objectPath(submitted), 'frank')).status).toBe(200);
      for (const id of [twoVersions, submitted]) expect((await get(hub.app, objectPath(id), 'dave')).status).toBe(404);
      const trail = await hub.store.audit.list({ entityType: 'stix-object', entityId: submitted, limit: 10 });
      expect(trail.map((e) => [e.actor, e.action])).toEqual([['frank', 'object.delete']]);
    });

    test("its org-admin purges its own indicators", async () => {
      const id = await shareThenLeave(() => submit('frank', `https://purge-${engine}.example/`));
      const purged = await purge('frank', id);
      expect(purged.status).toBe(200);
      expect(json(purged)).toEqual({ id, purged_versions: [{ collection: PEERS, date_added: expect.any(String) }] });
      expect((await get(hub.app, objectPath(id), 'dave')).status).toBe(404);
    });

    test('the roles stay: transitions need provider or org-admin, TAXII DELETE the provider and consumer roles (as for members), purge the org-admin', async () => {
      const [a, b] = await shareThenLeave(async () => [await submit('frank', `https://roles-a-${engine}.example/`), await submit('frank', `https://roles-b-${engine}.example/`)]);
      expect((await transition('irene', a, 'revoke')).status).toBe(403); // consumer only
      expect((await del(hub.app, objectPath(a), 'irene')).status).toBe(403); // consumer only
      expect((await del(hub.app, objectPath(a), 'ivan')).status).toBe(403); // provider only: a write-only client may not delete
      expect((await purge('ivan', a)).status).toBe(403);
      expect((await purge('irene', a)).status).toBe(403);
      // Nothing was changed by the refusals.
      expect(json(await history('dave', a))).toMatchObject({ state: 'active' });
      expect(json(await transition('ivan', b, 'benign', { reason: 'cleaned' }))).toMatchObject({ state: 'benign' });
    });

    test("learns nothing else: others' objects and unknown ids answer 404, worded alike, on every route", async () => {
      const mine = await shareThenLeave(() => submit('frank', `https://mine-${engine}.example/`));
      const theirs = await submit('dave', `https://theirs-${engine}.example/`); // GREEN: the whole group reads it
      const theirsOverTaxii = indicator();
      await post('dave', [theirsOverTaxii]);
      expect((await get(hub.app, objectPath(theirs), 'grace')).status).toBe(200);

      for (const id of [theirs, theirsOverTaxii.id as string, `indicator--${randomUUID()}`]) {
        const answers = {
          get: await get(hub.app, objectPath(id), 'frank'),
          versions: await get(hub.app, `${objectPath(id)}versions/`, 'frank'),
          delete: await del(hub.app, objectPath(id), 'frank'),
          revoke: await transition('frank', id, 'revoke'),
          benign: await transition('frank', id, 'benign', { reason: 'x' }),
          history: await history('frank', id),
          purge: await purge('frank', id),
        };
        for (const [route, res] of Object.entries(answers)) expect({ id, route, status: res.status }).toEqual({ id, route, status: 404 });
        // The same words as for an id that exists nowhere.
        expect(answers.delete.text.replaceAll(id, 'ID')).toBe((await del(hub.app, objectPath('indicator--00000000-0000-4000-8000-000000000000'), 'frank')).text.replaceAll('indicator--00000000-0000-4000-8000-000000000000', 'ID'));
        expect(answers.revoke.text.replaceAll(id, 'ID')).toBe((await transition('frank', 'indicator--00000000-0000-4000-8000-000000000000', 'revoke')).text.replaceAll('indicator--00000000-0000-4000-8000-000000000000', 'ID'));
      }
      // Its own object does not open the collection: listings and reads stay 404.
      for (const path of ['objects/', 'manifest/', `objects/${mine}/`, `objects/${mine}/versions/`]) {
        expect({ path, status: (await get(hub.app, `${taxiiCollection()}/${path}`, 'frank')).status }).toEqual({ path, status: 404 });
      }
      expect((await request(hub.app).get(`/api/collections/${PEERS}/indicators`).set('Authorization', demoAuth('frank'))).status).toBe(404);
      // Others' objects are untouched.
      expect((await get(hub.app, objectPath(theirs), 'dave')).status).toBe(200);
      expect(json(await history('dave', theirs))).toMatchObject({ state: 'active' });
      // Its own DELETE tells nothing more than {}.
      const own = await del(hub.app, objectPath(mine), 'frank');
      expect([own.status, json(own)]).toEqual([200, {}]);
    });
  });

  test('a member that reads but may no longer write the collection still changes and deletes its own objects; others it reads stay 403', async () => {
    const readOnly = randomUUID();
    expect((await admin('post', '/collections', { id: readOnly, api_root: 'demo', title: 'Was the peers exchange', owner: { trust_group: 'peers' }, default_marking: 'green' })).status).toBe(201);
    await setMembers(MEMBERS);
    const [revokeMe, deleteMe] = [await submit('frank', `https://ro-a-${engine}.example/`, readOnly), await submit('frank', `https://ro-b-${engine}.example/`, readOnly)];
    const theirs = await submit('dave', `https://ro-theirs-${engine}.example/`, readOnly);
    // The collection now belongs to globex-hq: initech, with globex-hq in finance-isac, reads it and writes nothing.
    expect((await admin('patch', `/collections/${readOnly}`, { owner: { organization: 'globex-hq' } })).status).toBe(200);
    expect(json(await get(hub.app, `${taxiiCollection(readOnly)}/`, 'frank'))).toMatchObject({ can_read: true, can_write: false });
    expect((await taxiiPost('frank', [indicator()], readOnly)).status).toBe(403);

    expect(json(await transition('frank', revokeMe, 'revoke', {}, readOnly))).toMatchObject({ state: 'revoked' });
    expect((await del(hub.app, objectPath(deleteMe, readOnly), 'frank')).status).toBe(200);
    expect((await get(hub.app, objectPath(deleteMe, readOnly), 'dave')).status).toBe(404);
    expect((await del(hub.app, objectPath(theirs, readOnly), 'frank')).status).toBe(403);
    expect((await transition('frank', theirs, 'revoke', {}, readOnly)).status).toBe(403);
    expect((await del(hub.app, objectPath(`indicator--${randomUUID()}`, readOnly), 'frank')).status).toBe(403); // a read-only client, as today
  });

  describe('purging an id the caller may not purge', () => {
    test('is 404 when the caller cannot read that id anywhere, whatever its roles', async () => {
      const theirs = await shareThenLeave(() => submit('dave', `https://purge-unread-${engine}.example/`));
      expect((await purge('bob', theirs)).status).toBe(404); // acme-east, provider and consumer, not in the group
      expect((await purge('carol', theirs)).status).toBe(404); // acme-west, consumer only
      expect((await purge('heidi', theirs)).status).toBe(404); // vandelay's provider and org-admin: a member, but reads nothing
      expect((await purge('frank', theirs)).status).toBe(404); // org-admin of another organization that cannot read it
      const unknown = `indicator--${randomUUID()}`;
      expect((await purge('bob', theirs)).text.replaceAll(theirs, 'ID')).toBe((await purge('bob', unknown)).text.replaceAll(unknown, 'ID'));
    });

    test('is 403 when the caller can read it, or it is its own organization\'s', async () => {
      const theirs = await submit('dave', `https://purge-read-${engine}.example/`);
      expect((await purge('grace', theirs)).status).toBe(403); // vandelay's consumer reads the group's GREEN objects
      const branch = await submit('bob', `https://purge-branch-${engine}.example/`, '948f89cd-d3ab-4b2e-bb60-bdffe702b793');
      expect((await purge('alice', branch)).status).toBe(403); // acme-hq's org-admin reads its branch's objects, and they are not its own
      const ours = await shareThenLeave(() => submit('frank', `https://purge-ours-${engine}.example/`));
      expect((await purge('ivan', ours)).status).toBe(403); // initech's provider-only user, outside the group: its organization's object
      expect((await get(hub.app, objectPath(theirs), 'dave')).status).toBe(200);
      expect((await get(hub.app, objectPath(branch, '948f89cd-d3ab-4b2e-bb60-bdffe702b793'), 'bob')).status).toBe(200);
    });
  });
});
