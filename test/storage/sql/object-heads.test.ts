import { randomUUID } from 'node:crypto';
import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import { stateOf } from '../../../src/domain/lifecycle/indicator-state';
import { ALL_VERSIONS } from '../../../src/domain/object-filters';
import type { NewObjectVersion } from '../../../src/storage/object-store';
import type { Database } from '../../../src/storage/sql/database';
import { SqlObjectStore } from '../../../src/storage/sql/sql-object-store';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { hubInput } from '../../access/fixture-hub';
import { openTestDatabase, testEngines } from '../../support/test-databases';

/**
 * The is_head mark and the lifecycle columns of migration 008, kept by every writer: after any mix
 * of appends (versions out of order, several versions of one object in one batch, two spec
 * versions, concurrent writers), TAXII DELETEs of some versions and purges, each object has exactly
 * one head, and it is its highest (spec_version, version); lifecycle and valid_until agree with
 * stateOf for every indicator version.
 */

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const T0 = 1_700_000_000_000_000;
const iso = (micros: number) => new Date(micros / 1000).toISOString();

function version(id: string, at: number, providerOrgId: string, specVersion: string, extra: Record<string, unknown> = {}): NewObjectVersion {
  const type = id.split('--')[0] as string;
  return {
    id,
    type,
    specVersion,
    version: at,
    providerOrgId,
    tlp: 'green',
    recipients: [],
    object: { type, spec_version: specVersion, id, created: iso(T0), modified: iso(at), ...extra },
  };
}

/** Every object whose heads are wrong: not exactly one, or not its highest (spec_version, version). */
async function headProblems(db: Database): Promise<unknown[]> {
  const { rows } = await db.query(
    `SELECT collection_id, id, count(*) FILTER (WHERE is_head) AS heads,
            (array_agg(date_added ORDER BY spec_version DESC, version DESC))[1] AS expected,
            (array_agg(date_added) FILTER (WHERE is_head))[1] AS marked
       FROM stix_objects GROUP BY collection_id, id
     HAVING count(*) FILTER (WHERE is_head) <> 1
         OR (array_agg(date_added ORDER BY spec_version DESC, version DESC))[1] <> (array_agg(date_added) FILTER (WHERE is_head))[1]`,
  );
  return rows;
}

describe.each(testEngines())('object heads and lifecycle columns on %s', (engine) => {
  let db: Database;
  let objects: SqlObjectStore;
  const collections = [randomUUID(), randomUUID()];
  let clock = T0 + 10_000_000;
  const now = () => (clock += 1000);

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const tenancy = createSqlTenancyStore(db);
    for (const org of hubInput.organizations) await tenancy.organizations.insert(org);
    await tenancy.apiRoots.insert({ id: 'root', title: 'Root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
    for (const id of collections) {
      await tenancy.collections.insert({ id, apiRootId: 'root', alias: null, title: id, description: null, owner: { kind: 'organization', id: 'hq' }, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' });
    }
    objects = new SqlObjectStore(db);
  });
  afterAll(() => db.close());

  test('a random history of appends, deletions and purges leaves one head per object, its highest version', async () => {
    const r = random(7);
    const ids = Array.from({ length: 30 }, (_v, n) => `${n % 3 === 0 ? 'malware' : 'indicator'}--${randomUUID()}`);
    const stored = new Map<string, number[]>(); // collection + id -> versions stored
    let deletions = 0;
    for (let step = 0; step < 60; step++) {
      const collectionId = collections[Math.floor(r() * collections.length)] as string;
      const roll = r();
      if (roll < 0.7) {
        // A batch of up to 6 versions, some of one object, in random order.
        const batch = Array.from({ length: 1 + Math.floor(r() * 6) }, () => {
          const id = ids[Math.floor(r() * ids.length)] as string;
          return version(id, T0 + 1000 * (1 + Math.floor(r() * 8)), 'hq', r() < 0.2 ? '2.0' : '2.1');
        });
        const outcomes = await objects.append(collectionId, batch, now());
        batch.forEach((v, i) => {
          if (outcomes[i]?.kind === 'added') stored.set(`${collectionId} ${v.id}`, [...(stored.get(`${collectionId} ${v.id}`) ?? []), v.version]);
        });
      } else if (roll < 0.9) {
        const keys = [...stored.keys()].filter((k) => k.startsWith(collectionId));
        const key = keys[Math.floor(r() * keys.length)];
        if (key === undefined) continue;
        const id = key.split(' ')[1] as string;
        const versions = stored.get(key) as number[];
        const at = versions[Math.floor(r() * versions.length)] as number;
        const deleted = await objects.deleteVersions(
          { collectionId, id, providerOrgIds: ['hq'], scope: { kind: 'all' }, specVersions: { kind: 'any' }, versions: { kind: 'some', first: false, last: false, at: [at] } },
          (gone) => ({ actor: 'test', action: 'objects.delete', entityType: 'object', entityId: id, before: gone, after: null }),
        );
        expect(deleted.map((d) => d.version)).toEqual([at]);
        deletions++;
        stored.set(key, versions.filter((v) => v !== at));
      } else {
        const id = ids[Math.floor(r() * ids.length)] as string;
        await objects.purgeObject(id, r() < 0.5 ? ['hq'] : 'any', () => ({ actor: 'test', action: 'indicator.purge', entityType: 'indicator', entityId: id, before: null, after: null }));
        for (const c of collections) stored.delete(`${c} ${id}`);
      }
      expect(await headProblems(db)).toEqual([]);
    }
    expect(deletions).toBeGreaterThan(5);
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM stix_objects WHERE is_head');
    expect(Number(rows[0]?.n)).toBeGreaterThan(5);
  });

  test('concurrent writers of one collection keep one head per object', async () => {
    const collectionId = collections[0] as string;
    const ids = Array.from({ length: 5 }, () => `indicator--${randomUUID()}`);
    const at = now();
    await Promise.all(
      Array.from({ length: 6 }, (_w, w) =>
        objects.append(collectionId, ids.map((id, n) => version(id, T0 + 1000 * (1 + ((w + n) % 6)), 'hq', '2.1')), at + w),
      ),
    );
    expect(await headProblems(db)).toEqual([]);
    const heads = await db.query<{ version: string }>('SELECT version FROM stix_objects WHERE collection_id = $1 AND id = ANY($2::text[]) AND is_head', [collectionId, ids]);
    expect(heads.rows.map((h) => Number(h.version))).toEqual(ids.map(() => T0 + 6000));
  });

  test('lifecycle and valid_until agree with stateOf for every indicator version', async () => {
    const collectionId = collections[1] as string;
    const until = (micros: number) => ({ valid_until: iso(micros) });
    const cases: Record<string, unknown>[] = [
      {},
      until(T0 + 5_000_000),
      until(T0 + 50_000_000),
      { revoked: true },
      { revoked: true, ...until(T0 + 5_000_000) },
      { revoked: true, extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', state: 'benign' } } },
      { revoked: false, extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', state: 'benign' } } },
    ];
    const versions = cases.map((extra) => version(`indicator--${randomUUID()}`, T0 + 1000, 'hq', '2.1', extra));
    await objects.append(collectionId, versions, now());
    const nowMicros = T0 + 10_000_000;
    for (const state of ['active', 'expired', 'revoked', 'benign'] as const) {
      const listed = await objects.indicatorHeads({ collectionId, scope: { kind: 'all' }, state, nowMicros, limit: 100 });
      const expected = versions.filter((v) => stateOf(v.object, nowMicros) === state).map((v) => v.id);
      expect(listed.map((h) => h.id).filter((id) => versions.some((v) => v.id === id)).sort()).toEqual([...expected].sort());
      expect(expected.length).toBeGreaterThan(0);
    }
    // Every version stays selectable among all versions whatever its state.
    const all = await objects.selectManifest({ collectionId, scope: { kind: 'all' }, ids: versions.map((v) => v.id), specVersions: { kind: 'any' }, versions: ALL_VERSIONS, limit: 100 });
    expect(all.entries).toHaveLength(versions.length);
  });
});
