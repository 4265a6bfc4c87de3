import { randomUUID } from 'node:crypto';
import type { ReadScope } from '../../../src/access/read-scope';
import type { NewObjectVersion } from '../../../src/storage/object-store';
import type { Database } from '../../../src/storage/sql/database';
import { SqlFeedStore } from '../../../src/storage/sql/sql-feed-store';
import { SqlObjectStore } from '../../../src/storage/sql/sql-object-store';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import type { TlpLevel } from '../../../src/domain/tenancy';
import { hubInput } from '../../access/fixture-hub';
import { openTestDatabase, testEngines } from '../../support/test-databases';

const T0 = 1_700_000_000_000_000;

function version(type: string, provider: string, tlp: TlpLevel, recipients: string[] = []): NewObjectVersion {
  const id = `${type}--${randomUUID()}`;
  return { id, type, specVersion: '2.1', version: T0, providerOrgId: provider, tlp, recipients, object: { type, spec_version: '2.1', id, created: '2023-11-14T22:13:20.000Z', modified: '2023-11-14T22:13:20.000Z' } };
}

/** A reader from `self` that may read GREEN and CLEAR of everyone and AMBER of `amber`. */
const reader = (self: string, amber: string[]): ReadScope => ({ kind: 'filtered', self, openMarkings: ['clear', 'green'], amberProviders: amber, strictProviders: [], redRecipient: self, defaultMarking: 'amber' });

describe.each(testEngines())('the feed store on %s', (engine) => {
  let db: Database;
  let feed: SqlFeedStore;
  let objects: SqlObjectStore;
  const collectionId = randomUUID();
  const campaignsCollectionId = randomUUID();
  const labels: number[] = [];

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const tenancy = createSqlTenancyStore(db);
    for (const org of hubInput.organizations) await tenancy.organizations.insert(org);
    await tenancy.apiRoots.insert({ id: 'root', title: 'Root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
    for (const id of [collectionId, campaignsCollectionId]) {
      await tenancy.collections.insert({ id, apiRootId: 'root', alias: null, title: id, description: null, owner: { kind: 'organization', id: 'hq' }, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' });
    }
    objects = new SqlObjectStore(db);
    feed = new SqlFeedStore(db);
    // Six records: hq GREEN, hq AMBER, east AMBER, west AMBER, west RED for east, an identity.
    const batch = [version('indicator', 'hq', 'green'), version('indicator', 'hq', 'amber'), version('indicator', 'east', 'amber'), version('indicator', 'west', 'amber'), version('indicator', 'west', 'red', ['east']), version('identity', 'hq', 'clear')];
    for (const v of batch) {
      const [outcome] = await objects.append(collectionId, [v], T0 + 1_000_000);
      if (outcome?.kind !== 'added') throw new Error('not added');
      labels.push(outcome.dateAdded);
    }
  });
  afterAll(() => db.close());

  test('a range holds the readable records with labels in (after, at most], in label order', async () => {
    const all = await feed.records({ collectionId, scope: { kind: 'all' } }, 100);
    expect(all.records.map((r) => r.dateAdded)).toEqual(labels);
    expect(all.more).toBe(false);
    const middle = await feed.records({ collectionId, scope: { kind: 'all' }, addedAfter: labels[1], addedAtMost: labels[3] }, 100);
    expect(middle.records.map((r) => r.dateAdded)).toEqual([labels[2], labels[3]]);
    expect(JSON.parse(middle.records[0]?.json ?? '{}')).toMatchObject({ type: 'indicator' });
    expect(middle.records[0]?.providerOrgId).toBe('east');
  });

  test('a sibling branch neither receives nor counts what it may not read', async () => {
    // east reads hq's GREEN, hq's AMBER (its parent publishes down), its own, and west's RED naming it; not west's AMBER.
    const east = reader('east', ['hq']);
    const page = await feed.records({ collectionId, scope: east, types: ['indicator'] }, 100);
    expect(page.records.map((r) => r.providerOrgId)).toEqual(['hq', 'hq', 'east', 'west']);
    expect(page.records[3]?.dateAdded).toBe(labels[4]); // the RED one, not the AMBER one
    expect(await feed.count({ collectionId, scope: east, types: ['indicator'] })).toBe(4);
    expect(await feed.count({ collectionId, scope: reader('west', []), types: ['indicator'] })).toBe(3); // hq GREEN, its own two
  });

  test('a page says when more records follow', async () => {
    const first = await feed.records({ collectionId, scope: { kind: 'all' } }, 2);
    expect(first.records).toHaveLength(2);
    expect(first.more).toBe(true);
    const rest = await feed.records({ collectionId, scope: { kind: 'all' }, addedAfter: first.records[1]?.dateAdded }, 10);
    expect(rest.records).toHaveLength(4);
    expect(rest.more).toBe(false);
  });

  test('a partition counts the readable records and names the label ending each run of `size` (TAXII 1.1 parts, MP-02)', async () => {
    expect(await feed.partition({ collectionId, scope: { kind: 'all' } }, 4)).toEqual({ count: 6, ends: [labels[3], labels[5]] });
    expect(await feed.partition({ collectionId, scope: { kind: 'all' } }, 3)).toEqual({ count: 6, ends: [labels[2], labels[5]] });
    const east = reader('east', ['hq']);
    // east reads the records 0, 1, 2 and 4 (the RED one naming it), not west's AMBER one (3).
    expect(await feed.partition({ collectionId, scope: east, types: ['indicator'], addedAfter: labels[0] }, 2)).toEqual({ count: 3, ends: [labels[2], labels[4]] });
    expect(await feed.partition({ collectionId, scope: east, addedAfter: labels[5] }, 2)).toEqual({ count: 0, ends: [] });
  });

  test('the campaigns an indicator indicates: readable ones only, through current indicates relationships', async () => {
    const object = (v: NewObjectVersion, extra: Record<string, unknown>): NewObjectVersion => ({ ...v, object: { ...v.object, ...extra } });
    const indicator = version('indicator', 'hq', 'green');
    const [opOne, opTwo, opHidden] = [version('campaign', 'hq', 'green'), version('campaign', 'hq', 'amber'), version('campaign', 'west', 'amber')];
    const link = (target: NewObjectVersion, type = 'indicates', provider = 'hq') =>
      object(version('relationship', provider, 'green'), { relationship_type: type, source_ref: indicator.id, target_ref: target.id });
    const named = (v: NewObjectVersion, name: string) => object(v, { name });
    const batch = [indicator, named(opOne, 'Op One'), named(opTwo, 'Op Two'), named(opHidden, 'Op Hidden'), link(opOne), link(opTwo), link(opHidden), link(opOne, 'related-to')];
    await objects.append(campaignsCollectionId, batch, T0 + 2_000_000);
    const east = reader('east', ['hq']);
    const found = await feed.indicatedCampaigns(campaignsCollectionId, east, [indicator.id, 'indicator--unknown']);
    expect(found.map((c) => c.name).sort()).toEqual(['Op One', 'Op Two']);
    expect(found.every((c) => c.indicatorId === indicator.id)).toBe(true);
    // west reads hq's GREEN campaign and its own AMBER one, not hq's AMBER one.
    expect((await feed.indicatedCampaigns(campaignsCollectionId, reader('west', []), [indicator.id])).map((c) => c.name).sort()).toEqual(['Op Hidden', 'Op One']);
    expect(await feed.indicatedCampaigns(campaignsCollectionId, east, [])).toEqual([]);
  });

  test('the last label is the highest committed one, 0 for a collection never written', async () => {
    expect(await feed.lastLabel(collectionId)).toBe(labels[labels.length - 1]);
    const other = randomUUID();
    expect(await feed.lastLabel(other)).toBe(0);
    expect(await feed.lastLabels([collectionId, other])).toEqual(new Map([[collectionId, labels[labels.length - 1]], [other, 0]]));
  });
});
