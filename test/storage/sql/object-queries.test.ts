import { randomUUID } from 'node:crypto';
import { compilePolicy, objectVisibleUnderScope, readScope, type CompiledPolicy, type ReadScope } from '../../../src/access';
import { ALL_VERSIONS, LATEST_VERSION, type SpecVersionMatch, type VersionMatch } from '../../../src/domain/object-filters';
import type { TlpLevel } from '../../../src/domain/tenancy';
import type { ManifestEntry, NewObjectVersion, ObjectSelection } from '../../../src/storage/object-store';
import type { Database } from '../../../src/storage/sql/database';
import { SqlObjectStore } from '../../../src/storage/sql/sql-object-store';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../src/storage/tenancy-store';
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

// hq ─┬─ east ── east-lab
//     └─ west
const REGIONAL = group('regional', 'vertical', { tree: { hq: ['east', 'west'], east: ['east-lab'] } });
const T0 = 1_700_000_000_000_000;

interface Row extends NewObjectVersion {
  readonly dateAdded: number;
}

function version(id: string, at: number, providerOrgId: string, tlp: TlpLevel, specVersion = '2.1', recipients: string[] = []): NewObjectVersion {
  const type = id.split('--')[0] ?? 'indicator';
  return {
    id,
    type,
    specVersion,
    version: at,
    providerOrgId,
    tlp,
    recipients,
    object: { type, ...(specVersion === '2.1' ? { spec_version: '2.1' } : {}), id, modified: `t${at}`, x_custom: { kept: true } },
  };
}

/** The TAXII selection rules in plain TypeScript: the reference the SQL is checked against. */
function reference(rows: readonly Row[], scope: ReadScope, selection: Omit<ObjectSelection, 'collectionId' | 'scope'>, addedAfter = -1): Row[] {
  const visible = (r: Row) => objectVisibleUnderScope(scope, { providerOrgId: r.providerOrgId, marking: r.tlp, recipients: r.recipients, namedReaders: r.namedReaders ?? [] });
  const spec = selection.specVersions;
  const v = selection.versions;
  if (spec.kind === 'latest' && v.kind === 'some' && v.last && !v.first && v.at.length === 0) {
    // The default: each object's head (highest spec version, then version, over every stored
    // version), when the reader may read it; an older version is never served in its place.
    const heads = new Map<string, Row>();
    for (const r of rows) {
      const head = heads.get(r.id);
      if (!head || r.specVersion > head.specVersion || (r.specVersion === head.specVersion && r.version > head.version)) heads.set(r.id, r);
    }
    return [...heads.values()]
      .filter((r) => visible(r) && (!selection.ids || selection.ids.includes(r.id)) && (!selection.types || selection.types.includes(r.type)) && r.dateAdded > addedAfter)
      .sort((a, b) => a.dateAdded - b.dateAdded);
  }
  const readable = rows.filter(visible);
  const byId = new Map<string, Row[]>();
  for (const r of readable) {
    if (spec.kind === 'listed' && !spec.values.includes(r.specVersion)) continue;
    byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  }
  const chosen: Row[] = [];
  for (const [id, all] of byId) {
    if (selection.ids && !selection.ids.includes(id)) continue;
    const latestSpec = all.reduce((m, r) => (r.specVersion > m ? r.specVersion : m), '');
    const candidates = spec.kind === 'latest' ? all.filter((r) => r.specVersion === latestSpec) : all;
    const versions = candidates.map((r) => r.version);
    const [min, max] = [Math.min(...versions), Math.max(...versions)];
    for (const r of candidates) {
      if (selection.types && !selection.types.includes(r.type)) continue;
      const taxiiVersion = r.version === 0 ? r.dateAdded : r.version;
      const pickIt = v.kind === 'all' || (v.first && r.version === min) || (v.last && r.version === max) || v.at.includes(taxiiVersion);
      if (pickIt && r.dateAdded > addedAfter) chosen.push(r);
    }
  }
  return chosen.sort((a, b) => a.dateAdded - b.dateAdded);
}

describe.each(testEngines())('TAXII object queries on %s', (engine) => {
  let db: Database;
  let tenancy: TenancyStore;
  let objects: SqlObjectStore;
  let policy: CompiledPolicy;
  // Hand-written cases go to `feed`; the random data set has a collection of its own.
  const feed = randomUUID();
  const randomFeed = randomUUID();
  const scopeOf = (org: string, collectionId = feed) => readScope(policy, org === 'operator' ? operator : consumer(org), collectionId);
  let clock = T0 + 10_000_000;

  async function addTo(collectionId: string, versions: NewObjectVersion[]): Promise<Row[]> {
    clock += 1000;
    const outcomes = await objects.append(collectionId, versions, clock);
    return versions.map((v, i) => {
      const o = outcomes[i];
      if (o?.kind !== 'added') throw new Error(`not added: ${v.id}`);
      return { ...v, dateAdded: o.dateAdded };
    });
  }
  const add = (...versions: NewObjectVersion[]) => addTo(feed, versions);

  const select = async (org: string, selection: Partial<Omit<ObjectSelection, 'collectionId' | 'scope'>>, limit = 1000, addedAfter?: number, collectionId = feed) => {
    const page = await objects.selectManifest({
      collectionId,
      scope: scopeOf(org, collectionId),
      specVersions: { kind: 'latest' },
      versions: LATEST_VERSION,
      ...selection,
      ...(addedAfter !== undefined ? { addedAfter } : {}),
      limit,
    });
    return page;
  };
  const idsAndVersions = (entries: readonly ManifestEntry[]) => entries.map((e) => [e.id, e.version]);

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    tenancy = createSqlTenancyStore(db);
    for (const org of hubInput.organizations) await tenancy.organizations.insert(org);
    await tenancy.trustGroups.insert(REGIONAL);
    await tenancy.apiRoots.insert({ id: 'root', title: 'Root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
    for (const id of [feed, randomFeed]) {
      await tenancy.collections.insert({ id, apiRootId: 'root', alias: null, title: id, description: null, owner: { kind: 'trust-group', id: 'regional' }, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' });
    }
    const compiled = compilePolicy({ organizations: await tenancy.organizations.list(), trustGroups: await tenancy.trustGroups.list(), collections: await tenancy.collections.list() });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    policy = compiled.policy;
    objects = new SqlObjectStore(db);
  });
  afterAll(() => db.close());

  describe('version selection', () => {
    const id = `indicator--${randomUUID()}`;
    beforeAll(async () => {
      // east provides three versions; only the first is GREEN, so its sibling west reads only that one.
      await add(version(id, T0 + 2, 'east', 'amber'));
      await add(version(id, T0 + 1, 'east', 'green'));
      await add(version(id, T0 + 3, 'east', 'amber'));
    });
    const only = { ids: [id] };

    test('by default each object comes in its latest version only', async () => {
      expect(idsAndVersions((await select('hq', only)).entries)).toEqual([[id, T0 + 3]]);
    });

    // Possible only after a policy change (the sharing guard refuses a narrowing version): the
    // default answer is the object's head, so such a reader gets no stale version in its place.
    test('a consumer who can read only an older version gets no last version, and the older one among all versions', async () => {
      expect(idsAndVersions((await select('west', only)).entries)).toEqual([]);
      expect(idsAndVersions((await select('west', { ...only, versions: { kind: 'some', first: true, last: false, at: [] } })).entries)).toEqual([[id, T0 + 1]]);
      expect(idsAndVersions((await select('west', { ...only, versions: ALL_VERSIONS })).entries)).toEqual([[id, T0 + 1]]);
    });

    test('first, all, an exact version and unions of them', async () => {
      const v = (versions: VersionMatch) => select('hq', { ...only, versions }).then((p) => p.entries.map((e) => e.version));
      expect(await v({ kind: 'some', first: true, last: false, at: [] })).toEqual([T0 + 1]);
      // Sorted by date_added, not by version.
      expect(await v(ALL_VERSIONS)).toEqual([T0 + 2, T0 + 1, T0 + 3]);
      expect(await v({ kind: 'some', first: false, last: false, at: [T0 + 2] })).toEqual([T0 + 2]);
      expect(await v({ kind: 'some', first: true, last: true, at: [] })).toEqual([T0 + 1, T0 + 3]);
      expect(await v({ kind: 'some', first: false, last: true, at: [T0 + 2, T0 + 99] })).toEqual([T0 + 2, T0 + 3]);
      expect(await v({ kind: 'some', first: false, last: false, at: [T0 + 99] })).toEqual([]);
    });

    test('an object without created/modified is matched by its date_added as its version', async () => {
      const sco = `ipv4-addr--${randomUUID()}`;
      const [row] = await add({ ...version(sco, 0, 'hq', 'green'), object: { type: 'ipv4-addr', spec_version: '2.1', id: sco, value: '198.51.100.7' } });
      const at = (row as Row).dateAdded;
      expect(idsAndVersions((await select('west', { ids: [sco] })).entries)).toEqual([[sco, 0]]);
      expect((await select('west', { ids: [sco], versions: { kind: 'some', first: false, last: false, at: [at] } })).entries).toHaveLength(1);
      expect((await select('west', { ids: [sco], versions: { kind: 'some', first: false, last: false, at: [at + 1] } })).entries).toHaveLength(0);
    });
  });

  describe('spec versions', () => {
    const id = `malware--${randomUUID()}`;
    beforeAll(async () => {
      await add(version(id, T0 + 5, 'hq', 'green', '2.0'), version(id, T0 + 6, 'hq', 'green', '2.0'));
      await add(version(id, T0 + 4, 'hq', 'green', '2.1'));
    });
    const specs = (specVersions: SpecVersionMatch, versions: VersionMatch = LATEST_VERSION) =>
      select('east', { ids: [id], specVersions, versions }).then((p) => p.entries.map((e) => `${e.specVersion}@${e.version - T0}`));

    test('by default only the latest spec version of an object is selected, before the version', async () => {
      expect(await specs({ kind: 'latest' })).toEqual(['2.1@4']);
      expect(await specs({ kind: 'latest' }, ALL_VERSIONS)).toEqual(['2.1@4']);
      expect(await specs({ kind: 'latest' }, { kind: 'some', first: true, last: false, at: [] })).toEqual(['2.1@4']);
    });

    test('listed spec versions select among those versions only', async () => {
      expect(await specs({ kind: 'listed', values: ['2.0'] })).toEqual(['2.0@6']);
      expect(await specs({ kind: 'listed', values: ['2.0'] }, { kind: 'some', first: true, last: false, at: [] })).toEqual(['2.0@5']);
      expect(await specs({ kind: 'listed', values: ['2.0', '2.1'] })).toEqual(['2.0@6']);
      expect(await specs({ kind: 'listed', values: ['2.0', '2.1'] }, ALL_VERSIONS)).toEqual(['2.0@5', '2.0@6', '2.1@4']);
      expect(await specs({ kind: 'any' }, ALL_VERSIONS)).toEqual(['2.0@5', '2.0@6', '2.1@4']);
      expect(await specs({ kind: 'listed', values: ['2.2'] })).toEqual([]);
    });
  });

  describe('against the reference rules, over random data', () => {
    const orgs = ['hq', 'east', 'west', 'east-lab'];
    const rows: Row[] = [];
    const ids: string[] = [];
    beforeAll(async () => {
      const r = random(11);
      for (let n = 0; n < 60; n++) {
        const id = `${pick(['indicator', 'malware', 'ipv4-addr'], r)}--${randomUUID()}`;
        ids.push(id);
        const provider = pick(orgs, r);
        // Some objects are reports with a named reader (the same for every version, as the write path gives them).
        const namedReaders = r() < 0.3 ? [pick(orgs.filter((o) => o !== provider), r)] : [];
        // Up to four versions, posted in random order (an older version may arrive last).
        const offsets = [1, 2, 3, 4].sort(() => r() - 0.5).slice(0, 1 + Math.floor(r() * 4));
        for (const offset of offsets) {
          const tlp = pick<TlpLevel>(['clear', 'green', 'amber', 'amber', 'amber+strict', 'red'], r);
          const recipients = tlp === 'red' ? orgs.filter(() => r() < 0.4) : [];
          rows.push(...(await addTo(randomFeed, [{ ...version(id, T0 + 1000 + offset, provider, tlp, r() < 0.2 ? '2.0' : '2.1', recipients), namedReaders }])));
        }
      }
    });

    const SELECTIONS: [name: string, selection: Omit<ObjectSelection, 'collectionId' | 'scope'>][] = [
      ['defaults', { specVersions: { kind: 'latest' }, versions: LATEST_VERSION }],
      ['all versions', { specVersions: { kind: 'latest' }, versions: ALL_VERSIONS }],
      ['first', { specVersions: { kind: 'latest' }, versions: { kind: 'some', first: true, last: false, at: [] } }],
      ['first,last of 2.0 and 2.1', { specVersions: { kind: 'listed', values: ['2.0', '2.1'] }, versions: { kind: 'some', first: true, last: true, at: [] } }],
      ['type indicator, spec 2.0', { types: ['indicator'], specVersions: { kind: 'listed', values: ['2.0'] }, versions: LATEST_VERSION }],
      ['any spec, all versions, two types', { types: ['malware', 'ipv4-addr'], specVersions: { kind: 'any' }, versions: ALL_VERSIONS }],
    ];

    test.each(SELECTIONS)('%s: paging by date_added returns every selected readable version exactly once', async (_name, selection) => {
      for (const org of [...orgs, 'outsider', 'operator']) {
        const scope = scopeOf(org, randomFeed);
        const expected = reference(rows, scope, selection);
        const seen: ManifestEntry[] = [];
        let after: number | undefined;
        for (;;) {
          const page = await objects.selectManifest({ collectionId: randomFeed, scope, ...selection, ...(after !== undefined ? { addedAfter: after } : {}), limit: 9 });
          if (page.more) expect(page.entries).toHaveLength(9);
          seen.push(...page.entries);
          after = page.entries.at(-1)?.dateAdded ?? after;
          if (!page.more) break;
        }
        expect(seen.map((e) => `${e.id}@${e.dateAdded}`)).toEqual(expected.map((e) => `${e.id}@${e.dateAdded}`));
        if (org !== 'outsider') expect(expected.length).toBeGreaterThan(0);
      }
    });

    test('match[id] selects those objects, and added_after is exclusive', async () => {
      const scope = scopeOf('hq', randomFeed);
      const some = [ids[3], ids[17], ids[40]] as string[];
      const selection = { ids: some, specVersions: { kind: 'any' } as const, versions: ALL_VERSIONS };
      const expected = reference(rows, scope, selection);
      const got = (await select('hq', selection, 1000, undefined, randomFeed)).entries;
      expect(got.map((e) => e.dateAdded)).toEqual(expected.map((e) => e.dateAdded));
      const pivot = expected[1]?.dateAdded ?? 0;
      const after = await select('hq', selection, 1000, pivot, randomFeed);
      expect(after.entries.map((e) => e.dateAdded)).toEqual(expected.filter((e) => e.dateAdded > pivot).map((e) => e.dateAdded));
    });

    test('objects come with their stored JSON, custom properties included', async () => {
      const page = await objects.selectObjects({ collectionId: randomFeed, scope: scopeOf('operator', randomFeed), specVersions: { kind: 'latest' }, versions: LATEST_VERSION, limit: 5 });
      expect(page.entries).toHaveLength(5);
      for (const entry of page.entries) {
        const object = JSON.parse(entry.json) as Record<string, unknown>;
        expect(object.id).toBe(entry.id);
        expect(object.x_custom).toEqual({ kept: true });
      }
    });
  });

  describe('delete', () => {
    test('deletes the selected versions of one provider and audits them in the same transaction', async () => {
      const id = `indicator--${randomUUID()}`;
      const rows = await add(version(id, T0 + 1, 'east', 'green'), version(id, T0 + 2, 'east', 'green', '2.0'), version(id, T0 + 3, 'east', 'green'));
      const base = { collectionId: feed, scope: scopeOf('operator'), id };
      const audit = (deleted: readonly { dateAdded: number }[]) => ({ actor: 'tester', action: 'object.delete', entityType: 'stix-object', entityId: id, before: deleted.map((d) => d.dateAdded), after: null });

      // Another provider's versions are never touched.
      expect(await objects.deleteVersions({ ...base, providerOrgIds: ['hq'], specVersions: { kind: 'any' }, versions: ALL_VERSIONS }, audit)).toEqual([]);
      const last = await objects.deleteVersions({ ...base, providerOrgIds: ['east'], specVersions: { kind: 'listed', values: ['2.1'] }, versions: LATEST_VERSION }, audit);
      expect(last.map((d) => d.version)).toEqual([T0 + 3]);
      const rest = await objects.deleteVersions({ ...base, providerOrgIds: ['east'], specVersions: { kind: 'any' }, versions: ALL_VERSIONS }, audit);
      expect(rest.map((d) => d.dateAdded)).toEqual([rows[0]?.dateAdded, rows[1]?.dateAdded]);
      expect(await objects.readableVersionFacts(feed, scopeOf('operator'), id)).toEqual([]);

      const trail = await tenancy.audit.list({ entityType: 'stix-object', entityId: id, limit: 10 });
      expect(trail.map((e) => e.before)).toEqual([[rows[2]?.dateAdded], [rows[0]?.dateAdded, rows[1]?.dateAdded]]);
    });

    test('the facts of readable versions tell who provides an object, and nothing of unreadable ones', async () => {
      const id = `indicator--${randomUUID()}`;
      await add(version(id, T0 + 1, 'east', 'amber'));
      expect(await objects.readableVersionFacts(feed, scopeOf('hq'), id)).toEqual([{ providerOrgId: 'east', tlp: 'amber', recipients: [], namedReaders: [] }]);
      expect(await objects.readableVersionFacts(feed, scopeOf('west'), id)).toEqual([]);
    });
  });
});
