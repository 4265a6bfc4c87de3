import { randomUUID } from 'node:crypto';
import { compilePolicy, readScope, reporterScope, type CompiledPolicy, type ReadScope } from '../../../src/access';
import { ALL_VERSIONS, LATEST_VERSION } from '../../../src/domain/object-filters';
import type { TlpLevel } from '../../../src/domain/tenancy';
import type { NewObjectVersion } from '../../../src/storage/object-store';
import type { ReporterFigures } from '../../../src/storage/sighting-store';
import type { Database } from '../../../src/storage/sql/database';
import { sharingRules } from '../../../src/services/sharing/sharing-rules';
import { SqlChangeFeedStore } from '../../../src/storage/sql/sql-change-feed-store';
import { SqlObjectStore } from '../../../src/storage/sql/sql-object-store';
import { SqlSightingStore } from '../../../src/storage/sql/sql-sighting-store';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { consumer, group, hubInput, operator, provider } from '../../access/fixture-hub';
import { openTestDatabase, testEngines } from '../../support/test-databases';

// hq ─┬─ east ── east-lab
//     └─ west
const REGIONAL = group('regional', 'vertical', { tree: { hq: ['east', 'west'], east: ['east-lab'] } });
// a-hq ── a-branch   <link, no pass-down>   b-hq ── b-branch
const ALLIANCE = group('alliance', 'hybrid', { tree: { 'a-hq': ['a-branch'], 'b-hq': ['b-branch'] }, peerLinks: [{ between: ['a-hq', 'b-hq'], passDown: false }] });
const T0 = 1_790_000_000_000_000;
let tick = 0;

const stamp = (micros: number) => new Date(micros / 1000).toISOString();

function stix(type: string, providerOrgId: string, tlp: TlpLevel, fields: Record<string, unknown>, recipients: string[] = []): NewObjectVersion {
  const id = `${type}--${randomUUID()}`;
  const version = T0 + ++tick * 1000;
  return {
    id,
    type,
    specVersion: '2.1',
    version,
    providerOrgId,
    tlp,
    recipients,
    object: { type, spec_version: '2.1', id, created: stamp(version), modified: stamp(version), ...fields },
  };
}

const indicator = (providerOrgId: string, tlp: TlpLevel) => stix('indicator', providerOrgId, tlp, { pattern: "[ipv4-addr:value = '203.0.113.9']", pattern_type: 'stix', valid_from: stamp(T0) });
const sighting = (providerOrgId: string, tlp: TlpLevel, of: string, fields: Record<string, unknown> = {}, recipients: string[] = []) =>
  stix('sighting', providerOrgId, tlp, { sighting_of_ref: of, ...fields }, recipients);
const opinion = (providerOrgId: string, tlp: TlpLevel, about: readonly string[], verdict: string) => stix('opinion', providerOrgId, tlp, { opinion: verdict, object_refs: about });
const note = (providerOrgId: string, tlp: TlpLevel, about: readonly string[]) => stix('note', providerOrgId, tlp, { content: 'seen at the mail gateway', object_refs: about });

describe.each(testEngines())('SQL sighting store on %s', (engine) => {
  let db: Database;
  let objects: SqlObjectStore;
  let sightings: SqlSightingStore;
  let policy: CompiledPolicy;
  let feed: string;
  let now = T0 + 100_000_000;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const store = createSqlTenancyStore(db);
    for (const org of hubInput.organizations) await store.organizations.insert(org);
    await store.trustGroups.insert(REGIONAL);
    await store.trustGroups.insert(ALLIANCE);
    await store.apiRoots.insert({ id: 'root', title: 'Root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
    objects = new SqlObjectStore(db);
    sightings = new SqlSightingStore(db, objects);
  });
  afterAll(() => db.close());

  // A collection per test, so figures and feeds see only what the test wrote.
  const useCollection = async (owner: 'regional' | 'alliance') => {
    feed = randomUUID();
    const store = createSqlTenancyStore(db);
    await store.collections.insert({ id: feed, apiRootId: 'root', alias: null, title: owner, description: null, owner: { kind: 'trust-group', id: owner }, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' });
    const compiled = compilePolicy({ organizations: await store.organizations.list(), trustGroups: await store.trustGroups.list(), collections: await store.collections.list() });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    policy = compiled.policy;
  };
  beforeEach(() => useCollection('regional'));

  const scopeOf = (org: string): ReadScope => readScope(policy, org === 'operator' ? operator : consumer(org), feed);
  const provide = async (...versions: NewObjectVersion[]) => {
    for (const v of versions) {
      const [outcome] = await objects.appendAsProvider(feed, v.providerOrgId, [v], (now += 1000));
      expect(outcome?.kind).toBe('added');
    }
  };
  // Reports go in as the services write them: with the sharing rules' guard.
  const report = async (...versions: NewObjectVersion[]) => {
    for (const v of versions) {
      const [outcome] = await sightings.appendReports(feed, v.providerOrgId, [v], (now += 1000), reporterScope(policy, consumer(v.providerOrgId), feed), { guard: sharingRules(policy, feed).guard });
      expect(outcome?.kind).toBe('added');
    }
  };
  const readableIds = async (org: string) =>
    (await objects.selectManifest({ collectionId: feed, scope: scopeOf(org), specVersions: { kind: 'latest' }, versions: LATEST_VERSION, limit: 1000 })).entries.map((e) => e.id);
  const namedReadersOf = async (id: string) => (await objects.readableVersionFacts(feed, { kind: 'all' }, id)).map((f) => f.namedReaders);

  test('a branch’s AMBER+STRICT and RED sightings of the head office’s indicator reach the head office and not a sibling', async () => {
    const hqIndicator = indicator('hq', 'amber');
    const strict = sighting('east', 'amber+strict', hqIndicator.id);
    const red = sighting('east', 'red', hqIndicator.id, {}, ['east-lab']);
    await provide(hqIndicator);
    await report(strict, red);

    expect(await namedReadersOf(strict.id)).toEqual([['hq']]);
    expect(await readableIds('hq')).toEqual(expect.arrayContaining([strict.id, red.id]));
    const west = await readableIds('west');
    expect(west).toContain(hqIndicator.id);
    expect(west).not.toContain(strict.id);
    expect(west).not.toContain(red.id);
    // The marking decides who else: the branch's child reads AMBER+STRICT from its parent, and is the RED recipient.
    expect(await readableIds('east-lab')).toEqual(expect.arrayContaining([strict.id, red.id]));
    // Get an Object and the versions list go through the same filter.
    expect(await objects.readableVersionFacts(feed, scopeOf('hq'), red.id)).toHaveLength(1);
    expect(await objects.readableVersionFacts(feed, scopeOf('west'), red.id)).toEqual([]);
  });

  test('a sighting of an indicator its writer cannot read, or of one not stored, names nobody and is stored without error (the guard is not told of it)', async () => {
    const westIndicator = indicator('west', 'amber'); // a sibling's AMBER: east may not read it
    await provide(westIndicator);
    const unreadable = sighting('east', 'amber', westIndicator.id);
    const unknown = sighting('east', 'amber', `indicator--${randomUUID()}`);
    await report(unreadable, unknown);

    expect(await namedReadersOf(unreadable.id)).toEqual([[]]);
    expect(await namedReadersOf(unknown.id)).toEqual([[]]);
    expect(await readableIds('west')).not.toContain(unreadable.id);
    expect(await readableIds('hq')).toContain(unreadable.id); // east's parent reads east's AMBER anyway
  });

  test('the writer is judged by what its organization reads: a provider-only key names the provider too', async () => {
    const hqIndicator = indicator('hq', 'green');
    await provide(hqIndicator);
    const seen = sighting('east', 'amber+strict', hqIndicator.id);
    await sightings.appendReports(feed, 'east', [seen], (now += 1000), reporterScope(policy, provider('east'), feed));
    expect(await namedReadersOf(seen.id)).toEqual([['hq']]);
  });

  test('a report about one’s own object, or by an operator-read scope, never names its own provider', async () => {
    const own = indicator('east', 'amber');
    await provide(own);
    const seen = sighting('east', 'red', own.id, {}, ['east-lab']);
    await sightings.appendReports(feed, 'east', [seen], (now += 1000), { kind: 'all' });
    expect(await namedReadersOf(seen.id)).toEqual([[]]);
  });

  test('opinions and notes reach the providers of every object they name that the writer reads', async () => {
    const hqIndicator = indicator('hq', 'amber');
    const labIndicator = indicator('east-lab', 'amber');
    await provide(hqIndicator, labIndicator);
    const verdict = opinion('east', 'amber+strict', [hqIndicator.id, labIndicator.id], 'strongly-disagree');
    const remark = note('west', 'red', [hqIndicator.id, labIndicator.id]); // west reads hq's AMBER, not east-lab's
    await report(verdict, remark);

    expect(await namedReadersOf(verdict.id)).toEqual([['east-lab', 'hq']]);
    expect(await namedReadersOf(remark.id)).toEqual([['hq']]);
    expect(await readableIds('east-lab')).toContain(verdict.id);
    expect(await readableIds('east-lab')).not.toContain(remark.id);
    expect(await readableIds('hq')).toEqual(expect.arrayContaining([verdict.id, remark.id]));
  });

  test('across a link, the provider of the indicator reads the report, and the guard refuses a report naming what that provider may not read', async () => {
    await useCollection('alliance');
    const theirs = indicator('b-hq', 'green');
    const ourIdentity = stix('identity', 'a-branch', 'amber+strict', { name: 'A branch', identity_class: 'organization' });
    await provide(theirs, ourIdentity);
    const guard = sharingRules(policy, feed).guard;
    const scope = reporterScope(policy, consumer('a-branch'), feed);
    // b-hq, the named reader, may not read a-branch's AMBER+STRICT identity: naming it would show b-hq an unreadable reference.
    const withIdentity = sighting('a-branch', 'amber+strict', theirs.id, { where_sighted_refs: [ourIdentity.id] });
    const [refused] = await sightings.appendReports(feed, 'a-branch', [withIdentity], (now += 1000), scope, { guard });
    expect(refused).toMatchObject({ kind: 'refused', reason: expect.stringContaining(ourIdentity.id) });
    const plain = sighting('a-branch', 'amber+strict', theirs.id);
    const [added] = await sightings.appendReports(feed, 'a-branch', [plain], (now += 1000), scope, { guard });
    expect(added?.kind).toBe('added');
    expect(await readableIds('b-hq')).toContain(plain.id);
    expect(await readableIds('b-branch')).not.toContain(plain.id);
    expect(await readableIds('a-hq')).toContain(plain.id);
  });

  test('the provider’s change feed carries a RED sighting naming nobody and its removal; a sibling’s carries neither', async () => {
    const feedStore = new SqlChangeFeedStore(db);
    const hqIndicator = indicator('hq', 'amber');
    await provide(hqIndicator);
    const seen = sighting('east', 'red', hqIndicator.id, {}, ['east-lab']); // hq reads it only as named reader
    const about = async (org: string) =>
      (await feedStore.events({ collectionId: feed, scope: scopeOf(org) }, 100)).events.filter((e) => e.objectId === seen.id).map((e) => e.operation);
    await report(seen);
    expect(await about('hq')).toEqual(['created']);
    expect(await about('west')).toEqual([]);
    await objects.deleteVersions(
      { collectionId: feed, scope: { kind: 'all' }, id: seen.id, providerOrgIds: ['east'], specVersions: { kind: 'any' }, versions: ALL_VERSIONS },
      () => ({ actor: 'test', action: 'object.delete', entityType: 'object', entityId: seen.id, before: null, after: null }),
    );
    // The version is gone; its removal keeps the head's named readers.
    expect(await about('hq')).toEqual(['deleted']);
    expect(await about('west')).toEqual([]);
  });

  test('figures: per indicator and reporter, what the scope reads, without revoked reports', async () => {
    const hqIndicator = indicator('hq', 'amber');
    const other = indicator('hq', 'amber');
    await provide(hqIndicator, other);
    const day = 86_400_000_000;
    await report(
      sighting('east', 'amber+strict', hqIndicator.id, { count: 3, first_seen: stamp(T0 + 2 * day), last_seen: stamp(T0 + 3 * day) }),
      sighting('east', 'amber+strict', hqIndicator.id, { first_seen: stamp(T0 + day), last_seen: stamp(T0 + 2 * day) }), // no count: counts 1
      sighting('east-lab', 'red', hqIndicator.id, { count: 5 }), // RED naming nobody: the provider reads it as named reader
      sighting('west', 'green', hqIndicator.id, { count: 2, last_seen: stamp(T0 + 9 * day) }),
      opinion('east', 'amber+strict', [hqIndicator.id], 'strongly-disagree'),
      opinion('east', 'amber+strict', [hqIndicator.id], 'disagree'),
      opinion('east', 'amber+strict', [hqIndicator.id], 'agree'), // not a false positive
      sighting('west', 'green', other.id),
    );
    const revoked = sighting('west', 'green', hqIndicator.id, { count: 100 });
    await report(revoked);
    await report({ ...revoked, version: revoked.version + 1, object: { ...revoked.object, modified: stamp(revoked.version + 1), revoked: true } });

    const hq = await sightings.figures(feed, [hqIndicator.id, other.id], scopeOf('hq'));
    const byIndicatorThenReporter = (x: ReporterFigures, y: ReporterFigures) =>
      x.indicatorId < y.indicatorId ? -1 : x.indicatorId > y.indicatorId ? 1 : x.reporterOrgId < y.reporterOrgId ? -1 : x.reporterOrgId > y.reporterOrgId ? 1 : 0;
    expect(hq).toEqual(
      [
        { indicatorId: hqIndicator.id, reporterOrgId: 'east', sightings: 2, count: 4, firstSeen: T0 + day, lastSeen: T0 + 3 * day, falsePositives: 2 },
        { indicatorId: hqIndicator.id, reporterOrgId: 'east-lab', sightings: 1, count: 5, falsePositives: 0 },
        { indicatorId: hqIndicator.id, reporterOrgId: 'west', sightings: 1, count: 2, lastSeen: T0 + 9 * day, falsePositives: 0 },
        { indicatorId: other.id, reporterOrgId: 'west', sightings: 1, count: 1, falsePositives: 0 },
      ].sort(byIndicatorThenReporter),
    );
    // West reads only the GREEN reports: east's AMBER+STRICT and east-lab's RED ones are not for it.
    const west = await sightings.figures(feed, [hqIndicator.id], scopeOf('west'));
    expect(west).toEqual([{ indicatorId: hqIndicator.id, reporterOrgId: 'west', sightings: 1, count: 2, lastSeen: T0 + 9 * day, falsePositives: 0 }]);
    // East reads its own reports and west's GREEN one, not its child's RED one that names nobody.
    const east = await sightings.figures(feed, [hqIndicator.id], scopeOf('east'));
    expect(east.map((f) => f.reporterOrgId)).toEqual(['east', 'west']);
    expect(await sightings.figures(feed, [hqIndicator.id], { kind: 'none' })).toEqual([]);
    expect(await sightings.figures(feed, [], scopeOf('hq'))).toEqual([]);
  });

  test('purging an indicator removes the sightings, opinions and notes about it, and nothing else', async () => {
    const hqIndicator = indicator('hq', 'amber');
    const kept = indicator('hq', 'amber');
    await provide(hqIndicator, kept);
    const seen = sighting('east', 'amber', hqIndicator.id);
    const verdict = opinion('east', 'amber', [hqIndicator.id], 'strongly-disagree');
    const remark = note('east', 'amber', [hqIndicator.id, kept.id]);
    const elsewhere = note('east', 'amber', [kept.id]);
    await report(seen, verdict, remark, elsewhere);

    let dependents: string[] = [];
    await objects.purgeObject(hqIndicator.id, 'any', (_deleted, removed) => {
      dependents = removed.map((d) => d.id).sort();
      return { actor: 'test', action: 'indicator.purge', entityType: 'indicator', entityId: hqIndicator.id, before: null, after: null };
    });
    expect(dependents).toEqual([seen.id, verdict.id, remark.id].sort());
    const left = await readableIds('operator');
    expect(left).toEqual(expect.arrayContaining([kept.id, elsewhere.id]));
    for (const gone of [hqIndicator.id, seen.id, verdict.id, remark.id]) expect(left).not.toContain(gone);
  });
});
