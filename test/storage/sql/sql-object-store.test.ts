import { randomUUID } from 'node:crypto';
import { compilePolicy, readScope, objectVisibleUnderScope, type CompiledPolicy, type ReadScope } from '../../../src/access';
import { TLP_LEVELS, type TlpLevel } from '../../../src/domain/tenancy';
import type { Database } from '../../../src/storage/sql/database';
import { SqlObjectStore } from '../../../src/storage/sql/sql-object-store';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { ALL_VERSIONS } from '../../../src/domain/object-filters';
import type { NewObjectVersion, ObjectEntry } from '../../../src/storage/object-store';
import { consumer, group, hubInput, operator } from '../../access/fixture-hub';
import { openTestDatabase, testEngines } from '../../support/test-databases';

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}
const pick = <T>(items: readonly T[], r: () => number): T => items[Math.floor(r() * items.length)] as T;

const FEDERATION = group('federation', 'hybrid', {
  tree: { 'c-hq': ['c-branch'], 'd-hq': ['d-branch'], 'e-hq': ['e-branch'] },
  peerLinks: [
    { between: ['c-hq', 'd-hq'], passDown: true },
    { between: ['d-hq', 'e-hq'], passDown: false },
  ],
});
const REGIONAL = group('regional', 'vertical', { tree: { hq: ['east', 'west'], east: ['east-lab'] } });

function indicator(n: number, providerOrgId: string, tlp: TlpLevel, recipients: string[]): NewObjectVersion {
  const id = `indicator--${randomUUID()}`;
  return {
    id,
    type: 'indicator',
    specVersion: '2.1',
    version: 1_700_000_000_000_000 + n,
    providerOrgId,
    tlp,
    recipients,
    object: { type: 'indicator', spec_version: '2.1', id, name: `n${n}`, pattern: "[ipv4-addr:value = '198.51.100.1']" },
  };
}

describe.each(testEngines())('SQL object store on %s', (engine) => {
  let db: Database;
  let objects: SqlObjectStore;
  let policy: CompiledPolicy;
  const federationFeed = randomUUID();
  const regionalFeed = randomUUID();

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const store = createSqlTenancyStore(db);
    for (const org of hubInput.organizations) await store.organizations.insert(org);
    await store.trustGroups.insert(FEDERATION);
    await store.trustGroups.insert(REGIONAL);
    await store.apiRoots.insert({ id: 'root', title: 'Root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
    for (const [id, owner] of [[federationFeed, 'federation'], [regionalFeed, 'regional']] as const) {
      await store.collections.insert({ id, apiRootId: 'root', alias: null, title: owner, description: null, owner: { kind: 'trust-group', id: owner }, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' });
    }
    const compiled = compilePolicy({ organizations: await store.organizations.list(), trustGroups: await store.trustGroups.list(), collections: await store.collections.list() });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    policy = compiled.policy;
    objects = new SqlObjectStore(db);
  });
  afterAll(() => db.close());

  /** Every readable version in date_added order, one page at a time: the TAXII objects query with match[version]=all. */
  const readable = async (query: { collectionId: string; scope: ReadScope; addedAfter?: number; limit: number }) => {
    const page = await objects.selectObjects({ ...query, versions: ALL_VERSIONS, specVersions: { kind: 'any' } });
    return { versions: page.entries, more: page.more };
  };

  test('date_added is unique and strictly increasing within a collection, even for one instant', async () => {
    const now = 1_800_000_000_000_000;
    const first = await objects.append(regionalFeed, [indicator(1, 'hq', 'green', []), indicator(2, 'hq', 'green', [])], now);
    const second = await objects.append(regionalFeed, [indicator(3, 'east', 'green', [])], now);
    const added = [...first, ...second].map((o) => (o.kind === 'added' ? o.dateAdded : NaN));
    expect(added).toEqual([now, now + 1, now + 2]);
  });

  test('a version stored twice is a duplicate that keeps its first date_added, and says whether it is identical', async () => {
    const version = indicator(10, 'hq', 'amber', []);
    const [added] = await objects.append(regionalFeed, [version], 1);
    const again = await objects.append(regionalFeed, [version, { ...version, object: { ...version.object, name: 'changed' } }], 2);
    expect(added?.kind).toBe('added');
    const dateAdded = added?.kind === 'added' ? added.dateAdded : 0;
    expect(again).toEqual([
      { kind: 'duplicate', dateAdded, identical: true },
      { kind: 'duplicate', dateAdded, identical: false },
    ]);
  });

  test('the query returns exactly what the access rules let each consumer read, in full pages', async () => {
    const r = random(7);
    const orgs = ['c-hq', 'c-branch', 'd-hq', 'd-branch', 'e-hq', 'e-branch'];
    const versions = Array.from({ length: 240 }, (_, n) => {
      const tlp = pick(TLP_LEVELS, r);
      const recipients = tlp === 'red' ? orgs.filter(() => r() < 0.3) : [];
      // A quarter carry named readers (a report's: they read it whatever its marking).
      const namedReaders = r() < 0.25 ? orgs.filter(() => r() < 0.3) : [];
      return { ...indicator(100 + n, pick(orgs, r), tlp, recipients), namedReaders };
    });
    await objects.append(federationFeed, versions, 1);

    for (const who of [...orgs.map(consumer), operator]) {
      const scope = readScope(policy, who, federationFeed);
      const expected = versions.filter((v) => objectVisibleUnderScope(scope, { providerOrgId: v.providerOrgId, marking: v.tlp, recipients: v.recipients, namedReaders: v.namedReaders ?? [] })).map((v) => v.id);

      const seen: ObjectEntry[] = [];
      let addedAfter: number | undefined;
      for (;;) {
        const page = await readable({ collectionId: federationFeed, scope, addedAfter, limit: 7 });
        if (page.more) expect(page.versions).toHaveLength(7);
        seen.push(...page.versions);
        if (!page.more) break;
        addedAfter = page.versions.at(-1)?.dateAdded;
      }
      expect(seen.map((v) => v.id)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    }
  });

  test('an organization outside the collection reads nothing', async () => {
    const scope = readScope(policy, consumer('outsider'), federationFeed);
    expect((await readable({ collectionId: federationFeed, scope, limit: 100 })).versions).toEqual([]);
  });

  test('four pollers following date_added each receive exactly what they may read, once, while eight writers append', async () => {
    const collectionId = regionalFeed;
    const readers = [consumer('hq'), consumer('east'), consumer('west'), operator];
    const scopes = readers.map((who) => readScope(policy, who, collectionId));
    const starts = await Promise.all(scopes.map(async () => (await readable({ collectionId, scope: readScope(policy, operator, collectionId), limit: 100_000 })).versions.at(-1)?.dateAdded ?? -1));
    const written: NewObjectVersion[] = [];
    const r = random(11);
    let writing = true;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let batch = 0; batch < 6; batch++) {
        const versions = Array.from({ length: 5 }, (_, n) => ({
          ...indicator(10_000 + w * 100 + batch * 10 + n, pick(['hq', 'east', 'west'], r), pick(TLP_LEVELS, r), r() < 0.5 ? ['west'] : []),
          namedReaders: r() < 0.2 ? ['east'] : [],
        }));
        await objects.append(collectionId, versions, Date.now() * 1000);
        written.push(...versions);
      }
    });
    const poll = async (p: number) => {
      const got: string[] = [];
      let after = starts[p] as number;
      for (;;) {
        const done = !writing;
        const page = await readable({ collectionId, scope: scopes[p] as ReadScope, addedAfter: after, limit: 4 });
        got.push(...page.versions.map((v) => v.id));
        after = page.versions.at(-1)?.dateAdded ?? after;
        if (done && !page.more) return got;
      }
    };
    const pollers = readers.map((_, p) => poll(p));
    await Promise.all(writers);
    writing = false;
    const results = await Promise.all(pollers);
    results.forEach((got, p) => {
      const entitled = written.filter((v) => objectVisibleUnderScope(scopes[p] as ReadScope, { providerOrgId: v.providerOrgId, marking: v.tlp, recipients: v.recipients, namedReaders: v.namedReaders ?? [] })).map((v) => v.id);
      expect(new Set(got).size).toBe(got.length);
      expect([...got].sort()).toEqual([...entitled].sort());
    });
    expect(results[3]).toHaveLength(written.length);
    expect(results[1]?.length).toBeLessThan(written.length);
  });

  test('the store gathers planner statistics itself once enough rows have been added', async () => {
    const reltuples = async () => Number((await db.query<{ reltuples: number }>("SELECT reltuples FROM pg_class WHERE relname = 'stix_objects'")).rows[0]?.reltuples);
    const fresh = new SqlObjectStore(db);
    await fresh.append(regionalFeed, Array.from({ length: 1100 }, (_, n) => indicator(50_000 + n, 'hq', 'green', [])), 1);
    await fresh.statistics.settled();
    const total = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM stix_objects')).rows[0]?.n);
    expect(await reltuples()).toBeGreaterThanOrEqual(total * 0.9);
  });
});
