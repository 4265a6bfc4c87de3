import { attributionOf, compilePolicy, type CompiledPolicy } from '../../../src/access';
import { readPolicySnapshot } from '../../../src/storage/sql/repositories/policy-state';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { startDemoHub, type AdminClient, type DemoHub } from './demo-hub';

/**
 * A collection's `unmarked` and `attribution` and a trust group's `attribution` over the admin API:
 * written on create and patch, read back the same, audited, and followed by the compiled policy.
 */

describe.each(testEngines())('unmarked and attribution through the admin API on %s', (engine) => {
  let hub: DemoHub;
  let op: AdminClient;
  beforeAll(async () => {
    hub = await startDemoHub(engine);
    op = hub.as('operator');
  });
  afterAll(() => hub.close());

  async function policy(): Promise<CompiledPolicy> {
    const result = compilePolicy(await readPolicySnapshot(hub.db));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.policy;
  }

  async function lastAudit(entityId: string): Promise<{ action: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }> {
    const res = await op.get(`/audit?entity_id=${encodeURIComponent(entityId)}&limit=1000`);
    expect(res.status).toBe(200);
    return res.body.entries.at(-1);
  }

  test('the demo configuration reads back: finance-isac hides attribution, its collection keeps its own settings', async () => {
    expect((await op.get('/trust-groups/finance-isac')).body).toMatchObject({ id: 'finance-isac', attribution: 'hidden', managed_by: 'config', declared_in: null });
    expect((await op.get('/trust-groups/acme-tree')).body).toMatchObject({ attribution: 'attributed' });
    const isacFeed = (await op.get(`/collections/${DEMO_COLLECTIONS.isacFeed}`)).body;
    expect(isacFeed).toMatchObject({ unmarked: 'default', attribution: 'attributed', managed_by: 'config', declared_in: null });
    expect(attributionOf(await policy(), DEMO_COLLECTIONS.isacFeed)).toBe('hidden');
  });

  test('a trust group is attributed unless created hidden; a patch changes it; every read agrees and the audit holds before and after', async () => {
    const plain = await op.post('/trust-groups', { id: 'plain-peers', name: 'Plain', topology: 'horizontal', members: ['initech', 'vandelay'] });
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ attribution: 'attributed' });

    const hidden = await op.post('/trust-groups', { id: 'quiet-tree', name: 'Quiet', topology: 'vertical', tree: { 'globex-hq': ['globex-lab'] }, attribution: 'hidden' });
    expect(hidden.status).toBe(201);
    expect(hidden.body).toEqual({ id: 'quiet-tree', name: 'Quiet', topology: 'vertical', members: ['globex-hq', 'globex-lab'], tree: { 'globex-hq': ['globex-lab'] }, attribution: 'hidden', managed_by: 'admin', declared_in: null });
    expect((await op.get('/trust-groups/quiet-tree')).body).toEqual(hidden.body);

    const patched = await op.patch('/trust-groups/plain-peers', { attribution: 'hidden' });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ ...plain.body, attribution: 'hidden' });
    expect((await op.get('/trust-groups')).body.trust_groups).toContainEqual(patched.body);
    expect(await lastAudit('plain-peers')).toMatchObject({ action: 'trust-group.update', before: { attribution: 'attributed' }, after: { attribution: 'hidden' } });

    const renamed = await op.patch('/trust-groups/plain-peers', { name: 'Still quiet' });
    expect(renamed.body).toMatchObject({ name: 'Still quiet', attribution: 'hidden' }); // a patch without it keeps it

    for (const id of ['plain-peers', 'quiet-tree']) expect((await op.delete(`/trust-groups/${id}`)).status).toBe(204);
  });

  test('a collection takes unmarked and attribution on create and patch, reads them back, and the audit holds before and after', async () => {
    const created = await op.post('/collections', { api_root: 'demo', title: 'Strict feed', owner: { organization: 'acme-west' }, unmarked: 'refuse', attribution: 'hidden' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ owner: { organization: 'acme-west' }, default_marking: 'amber', unmarked: 'refuse', attribution: 'hidden', managed_by: 'admin', declared_in: null });
    const id = created.body.id as string;
    expect((await op.get(`/collections/${id}`)).body).toEqual(created.body);
    expect(attributionOf(await policy(), id)).toBe('hidden'); // on its own: acme-west is in no hiding group

    const patched = await op.patch(`/collections/${id}`, { unmarked: 'default', attribution: 'attributed' });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ ...created.body, unmarked: 'default', attribution: 'attributed' });
    expect((await op.get('/collections')).body.collections).toContainEqual(patched.body);
    expect(await lastAudit(id)).toMatchObject({
      action: 'collection.update',
      before: { unmarked: 'refuse', attribution: 'hidden' },
      after: { unmarked: 'default', attribution: 'attributed' },
    });
    expect(attributionOf(await policy(), id)).toBe('attributed');

    const defaults = await op.post('/collections', { api_root: 'demo', title: 'Plain feed', owner: { organization: 'acme-west' } });
    expect(defaults.body).toMatchObject({ unmarked: 'default', attribution: 'attributed' });

    for (const each of [id, defaults.body.id as string]) expect((await op.delete(`/collections/${each}`)).status).toBe(204);
  });

  test("a group made hidden through the API hides its members' own collections in the policy", async () => {
    const feed = await op.post('/collections', { api_root: 'demo', title: 'Lab feed', owner: { organization: 'globex-lab' } });
    const id = feed.body.id as string;
    expect(attributionOf(await policy(), id)).toBe('attributed'); // globex-lab is only in the alliance
    await op.post('/trust-groups', { id: 'lab-circle', name: 'Lab circle', topology: 'horizontal', members: ['globex-lab', 'vandelay'] });
    expect(attributionOf(await policy(), id)).toBe('attributed');
    expect((await op.patch('/trust-groups/lab-circle', { attribution: 'hidden' })).status).toBe(200);
    expect(attributionOf(await policy(), id)).toBe('hidden');
    expect((await op.delete('/trust-groups/lab-circle')).status).toBe(204);
    expect(attributionOf(await policy(), id)).toBe('attributed');
    expect((await op.delete(`/collections/${id}`)).status).toBe(204);
  });

  test('a value outside the modes is 400 naming the field, and nothing is written', async () => {
    const collection = await op.post('/collections', { api_root: 'demo', title: 'Bad', owner: { organization: 'acme-west' }, unmarked: 'drop', attribution: 'anonymous' });
    expect(collection.status).toBe(400);
    expect(collection.body.error.code).toBe('VALIDATION_FAILED');
    expect(collection.body.error.problems.map((p: { path: string }) => p.path).sort()).toEqual(['attribution', 'unmarked']);

    const group = await op.patch('/trust-groups/acme-tree', { attribution: 'secret' });
    expect(group.status).toBe(400);
    expect(group.body.error.problems).toEqual([expect.objectContaining({ path: 'attribution' })]);
    expect((await op.get('/trust-groups/acme-tree')).body).toMatchObject({ attribution: 'attributed' });
  });

  test('config-managed groups and collections keep their settings: the API refuses to change them (409)', async () => {
    expect((await op.patch('/trust-groups/finance-isac', { attribution: 'attributed' })).status).toBe(409);
    expect((await op.patch(`/collections/${DEMO_COLLECTIONS.acmeInternal}`, { unmarked: 'refuse' })).status).toBe(409);
    expect((await op.get('/trust-groups/finance-isac')).body).toMatchObject({ attribution: 'hidden' });
  });
});
