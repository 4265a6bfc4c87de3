import { randomUUID } from 'node:crypto';
import type { NewObjectVersion } from '../../../src/storage/object-store';
import type { Database } from '../../../src/storage/sql/database';
import { SqlObjectStore } from '../../../src/storage/sql/sql-object-store';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { openTestDatabase, testEngines } from '../../support/test-databases';

/** SqlObjectStore.appendAsProvider: an id has one provider per collection; duplicates never become versions. */

function version(providerOrgId: string, id = `indicator--${randomUUID()}`, v = 1_700_000_000_000_000, name = 'x'): NewObjectVersion {
  return { id, type: 'indicator', specVersion: '2.1', version: v, providerOrgId, tlp: 'amber', recipients: [], object: { type: 'indicator', id, name } };
}

describe.each(testEngines())('appendAsProvider on %s', (engine) => {
  let db: Database;
  let objects: SqlObjectStore;
  const collection = randomUUID();
  let now = 1_800_000_000_000_000;
  const tick = () => (now += 1000);

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const store = createSqlTenancyStore(db);
    for (const id of ['east', 'west']) await store.organizations.insert({ id, name: id, parentId: null, managedBy: 'admin' });
    await store.apiRoots.insert({ id: 'root', title: 'Root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
    await store.collections.insert({ id: collection, apiRootId: 'root', alias: null, title: 'c', description: null, owner: { kind: 'organization', id: 'east' }, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' });
    objects = new SqlObjectStore(db);
  });
  afterAll(() => db.close());

  const providers = async (id: string) => (await db.query<{ provider_org_id: string }>('SELECT provider_org_id FROM stix_objects WHERE id = $1', [id])).rows.map((r) => r.provider_org_id);

  test("a version of an id another organization provides is refused and not stored; the provider's own next version is stored", async () => {
    const first = version('east');
    await objects.appendAsProvider(collection, 'east', [first], tick());
    const [taken] = await objects.appendAsProvider(collection, 'west', [version('west', first.id, first.version + 1)], tick());
    expect(taken).toEqual({ kind: 'provided-by-another' });
    const [own] = await objects.appendAsProvider(collection, 'east', [version('east', first.id, first.version + 1)], tick());
    expect(own?.kind).toBe('added');
    expect(await providers(first.id)).toEqual(['east', 'east']);
  });

  test('repeats within one batch share the fate of the first occurrence', async () => {
    const v = version('east');
    const outcomes = await objects.appendAsProvider(collection, 'east', [v, v, { ...v, object: { ...v.object, name: 'changed' } }], tick());
    const dateAdded = outcomes[0]?.kind === 'added' ? outcomes[0].dateAdded : NaN;
    expect(outcomes).toEqual([
      { kind: 'added', dateAdded },
      { kind: 'duplicate', dateAdded, identical: true },
      { kind: 'duplicate', dateAdded, identical: false },
    ]);
  });

  test('two organizations racing for a new id: exactly one provides it, the other is refused', async () => {
    for (let round = 0; round < 5; round++) {
      const id = `indicator--${randomUUID()}`;
      const at = tick();
      const results = await Promise.all([
        objects.appendAsProvider(collection, 'east', [version('east', id, 1)], at),
        objects.appendAsProvider(collection, 'west', [version('west', id, 2)], at),
      ]);
      expect(results.map((r) => r[0]?.kind).sort()).toEqual(['added', 'provided-by-another']);
      expect(await providers(id)).toHaveLength(1);
    }
  });

  test('the same new version posted twice at once: stored once, the other a duplicate of it', async () => {
    for (let round = 0; round < 5; round++) {
      const v = version('east');
      const at = tick();
      const [a, b] = await Promise.all([objects.appendAsProvider(collection, 'east', [v], at), objects.appendAsProvider(collection, 'east', [v], at)]);
      const outcomes = [a?.[0], b?.[0]];
      const added = outcomes.find((o) => o?.kind === 'added');
      expect(added).toBeDefined();
      const dateAdded = added?.kind === 'added' ? added.dateAdded : NaN;
      expect(outcomes).toContainEqual({ kind: 'duplicate', dateAdded, identical: true });
      expect(await providers(v.id)).toEqual(['east']);
    }
  });

  test('date_added still rises strictly in commit order when some versions are skipped', async () => {
    const taken = version('east');
    await objects.appendAsProvider(collection, 'east', [taken], tick());
    const at = tick();
    const outcomes = await objects.appendAsProvider(collection, 'west', [version('west'), version('west', taken.id, 5), version('west')], at);
    expect(outcomes.map((o) => o.kind)).toEqual(['added', 'provided-by-another', 'added']);
    const added = outcomes.flatMap((o) => (o.kind === 'added' ? [o.dateAdded] : []));
    expect(added[1]).toBeGreaterThan(added[0] as number);
    const [next] = await objects.appendAsProvider(collection, 'west', [version('west')], at);
    expect(next?.kind === 'added' && next.dateAdded > (added[1] as number)).toBe(true);
  });

  test('an identical copy of a version another organization provides is already present, not refused', async () => {
    const shared = version('east');
    const [stored] = await objects.appendAsProvider(collection, 'east', [shared], tick());
    const dateAdded = stored?.kind === 'added' ? stored.dateAdded : NaN;
    const [copy] = await objects.appendAsProvider(collection, 'west', [{ ...shared, providerOrgId: 'west' }], tick());
    expect(copy).toEqual({ kind: 'duplicate', dateAdded, identical: true });
    expect(await providers(shared.id)).toEqual(['east']);
  });

  const revoked = (v: NewObjectVersion): NewObjectVersion => ({ ...v, object: { ...v.object, revoked: true } });

  test('no version of a revoked object is stored after it, whether the revocation is stored or comes in the same batch', async () => {
    const first = version('east');
    await objects.appendAsProvider(collection, 'east', [first, revoked(version('east', first.id, first.version + 1))], tick());
    const [later] = await objects.appendAsProvider(collection, 'east', [version('east', first.id, first.version + 2)], tick());
    expect(later).toEqual({ kind: 'revoked' });
    const [older] = await objects.appendAsProvider(collection, 'east', [version('east', first.id, first.version - 1)], tick());
    expect(older).toEqual({ kind: 'revoked' });

    const other = version('east');
    const outcomes = await objects.appendAsProvider(collection, 'east', [revoked(other), version('east', other.id, other.version + 1)], tick());
    expect(outcomes.map((o) => o.kind)).toEqual(['added', 'revoked']);
    expect(await providers(first.id)).toHaveLength(2);
    expect(await providers(other.id)).toHaveLength(1);
  });
});
