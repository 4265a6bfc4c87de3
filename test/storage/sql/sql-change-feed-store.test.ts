import { randomUUID } from 'node:crypto';
import type { ReadScope } from '../../../src/access/read-scope';
import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import { ALL_VERSIONS, type VersionMatch } from '../../../src/domain/object-filters';
import type { TlpLevel } from '../../../src/domain/tenancy';
import type { ChangeEvent } from '../../../src/storage/change-feed-store';
import type { NewObjectVersion } from '../../../src/storage/object-store';
import type { Database } from '../../../src/storage/sql/database';
import { SqlChangeFeedStore } from '../../../src/storage/sql/sql-change-feed-store';
import { SqlObjectStore } from '../../../src/storage/sql/sql-object-store';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { hubInput } from '../../access/fixture-hub';
import { openTestDatabase, testEngines } from '../../support/test-databases';

/**
 * The change feed's store: what each write, removal and expiry leaves in the feed, in position
 * order, and what each reader's scope lets it see of them.
 */

const T0 = 1_700_000_000_000_000;
const HOUR = 3_600_000_000;
const iso = (micros: number) => new Date(micros / 1000).toISOString();
const ALL: ReadScope = { kind: 'all' };
/** A reader from `self` that may read GREEN and CLEAR of everyone and AMBER of `amber`. */
const reader = (self: string, amber: string[]): ReadScope => ({ kind: 'filtered', self, openMarkings: ['clear', 'green'], amberProviders: amber, strictProviders: [], redRecipient: self, defaultMarking: 'amber' });
const EAST = reader('east', ['hq']);
const WEST = reader('west', ['hq']);

interface IndicatorShape {
  readonly id?: string;
  readonly provider?: string;
  readonly tlp?: TlpLevel;
  readonly modified?: number;
  readonly validUntil?: number;
  readonly state?: 'revoked' | 'benign';
}

function indicator(shape: IndicatorShape = {}): NewObjectVersion {
  const id = shape.id ?? `indicator--${randomUUID()}`;
  const modified = shape.modified ?? T0;
  const object: Record<string, unknown> = {
    type: 'indicator', spec_version: '2.1', id, created: iso(T0), modified: iso(modified), pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: iso(T0),
    ...(shape.validUntil !== undefined ? { valid_until: iso(shape.validUntil) } : {}),
    ...(shape.state !== undefined ? { revoked: true } : {}),
    ...(shape.state === 'benign' ? { extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', state: 'benign' } } } : {}),
  };
  return { id, type: 'indicator', specVersion: '2.1', version: modified, providerOrgId: shape.provider ?? 'hq', tlp: shape.tlp ?? 'green', recipients: [], object };
}

function relationship(source: string, target: string, provider = 'hq'): NewObjectVersion {
  const id = `relationship--${randomUUID()}`;
  const object = { type: 'relationship', spec_version: '2.1', id, created: iso(T0), modified: iso(T0), relationship_type: 'indicates', source_ref: source, target_ref: target };
  return { id, type: 'relationship', specVersion: '2.1', version: T0, providerOrgId: provider, tlp: 'green', recipients: [], object };
}

const brief = (events: readonly ChangeEvent[]) => events.map((e) => [e.objectId, e.operation]);

describe.each(testEngines())('the change feed store on %s', (engine) => {
  let db: Database;
  let objects: SqlObjectStore;
  let feed: SqlChangeFeedStore;
  let written: string[];

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const tenancy = createSqlTenancyStore(db);
    for (const org of hubInput.organizations) await tenancy.organizations.insert(org);
    await tenancy.apiRoots.insert({ id: 'root', title: 'Root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
  });
  afterAll(() => db.close());

  /** A fresh collection, and a store whose onWrite records which collections were written. */
  async function freshCollection(): Promise<string> {
    const id = randomUUID();
    await createSqlTenancyStore(db).collections.insert({ id, apiRootId: 'root', alias: null, title: id, description: null, owner: { kind: 'organization', id: 'hq' }, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' });
    written = [];
    objects = new SqlObjectStore(db, { onWrite: (c) => written.push(c) });
    feed = new SqlChangeFeedStore(db);
    return id;
  }

  async function append(collectionId: string, ...versions: NewObjectVersion[]): Promise<number[]> {
    const outcomes = await objects.append(collectionId, versions, Date.now() * 1000);
    return outcomes.map((o) => {
      if (o.kind !== 'added') throw new Error(`not added: ${o.kind}`);
      return o.dateAdded;
    });
  }

  const deleteAll = (collectionId: string, id: string, versions: VersionMatch = ALL_VERSIONS) =>
    objects.deleteVersions({ collectionId, scope: ALL, id, providerOrgIds: ['hq', 'east', 'west'], versions, specVersions: { kind: 'any' } }, () => ({ actor: 'test', action: 'object.delete', entityType: 'object', entityId: id, before: null, after: null }));

  const purge = (id: string) => objects.purgeObject(id, 'any', () => ({ actor: 'test', action: 'object.purge', entityType: 'object', entityId: id, before: null, after: null }));

  const all = async (collectionId: string, scope: ReadScope = ALL, after?: number) => (await feed.events({ collectionId, scope, ...(after !== undefined ? { after } : {}) }, 1_000)).events;

  test('stored versions are created, updated, revoked and benign events at their date_added, in position order', async () => {
    const c = await freshCollection();
    const a = indicator();
    const b = indicator();
    const [a1] = await append(c, a);
    const [a2] = await append(c, indicator({ id: a.id, modified: T0 + 1 }));
    const [b1] = await append(c, b);
    const [a3] = await append(c, indicator({ id: a.id, modified: T0 + 2, state: 'revoked' }));
    const [b2] = await append(c, indicator({ id: b.id, modified: T0 + 1, state: 'benign' }));
    const events = await all(c);
    expect(events.map((e) => [e.position, e.objectId, e.operation, e.version])).toEqual([
      [a1, a.id, 'created', T0],
      [a2, a.id, 'updated', T0 + 1],
      [b1, b.id, 'created', T0],
      [a3, a.id, 'revoked', T0 + 2],
      [b2, b.id, 'benign', T0 + 1],
    ]);
    expect(JSON.parse(events[3]?.json ?? '{}')).toMatchObject({ id: a.id, revoked: true });
    expect(events.every((e) => e.collectionId === c && e.type === 'indicator' && e.providerOrgId === 'hq')).toBe(true);
    expect(await feed.lastPosition(c)).toBe(b2);
  });

  test('a page of `limit` says whether more follow, and a range is (after, atMost]', async () => {
    const c = await freshCollection();
    const labels = await append(c, indicator(), indicator(), indicator(), indicator());
    const first = await feed.events({ collectionId: c, scope: ALL }, 2);
    expect(first.events.map((e) => e.position)).toEqual(labels.slice(0, 2));
    expect(first.more).toBe(true);
    const middle = await feed.events({ collectionId: c, scope: ALL, after: labels[0], atMost: labels[2] }, 10);
    expect(middle.events.map((e) => e.position)).toEqual(labels.slice(1, 3));
    expect(middle.more).toBe(false);
    const none = await feed.events({ collectionId: c, scope: ALL, after: labels[3] }, 0);
    expect(none).toEqual({ events: [], more: false });
    expect((await feed.events({ collectionId: c, scope: ALL, types: ['relationship'] }, 10)).events).toEqual([]);
  });

  test('a TAXII DELETE of every version is a deleted event without the object, after the versions, and wakes onWrite', async () => {
    const c = await freshCollection();
    const a = indicator();
    await append(c, a, indicator({ id: a.id, modified: T0 + 1 }));
    written.length = 0;
    await deleteAll(c, a.id);
    expect(written).toEqual([c]);
    const events = await all(c);
    // The versions are gone from the feed; the removal stays, with the head's access facts.
    expect(brief(events)).toEqual([[a.id, 'deleted']]);
    expect(events[0]).toMatchObject({ version: T0 + 1, providerOrgId: 'hq', type: 'indicator' });
    expect(events[0]?.json).toBeUndefined();
    expect(events[0]?.position).toBe(await feed.lastPosition(c));
  });

  test('a TAXII DELETE of the head leaving an older version is an event carrying the new head', async () => {
    const c = await freshCollection();
    const a = indicator();
    await append(c, a, indicator({ id: a.id, modified: T0 + 1, state: 'revoked' }));
    await deleteAll(c, a.id, { kind: 'some', first: false, last: false, at: [T0 + 1] });
    const events = await all(c);
    expect(brief(events)).toEqual([
      [a.id, 'created'],
      [a.id, 'updated'],
    ]);
    expect(events[1]?.version).toBe(T0);
    expect(JSON.parse(events[1]?.json ?? '{}')).toMatchObject({ id: a.id, modified: iso(T0) });
    // Deleting an older version that is not the head changes nothing a consumer holds.
    const b = indicator();
    await append(c, b, indicator({ id: b.id, modified: T0 + 1 }));
    const before = await feed.lastPosition(c);
    await deleteAll(c, b.id, { kind: 'some', first: false, last: false, at: [T0] });
    expect(await all(c, ALL, before)).toEqual([]);
  });

  test('a purge is a purged event for the object and for each dependent it removes, in the same transaction', async () => {
    const c = await freshCollection();
    const a = indicator();
    const campaign = { id: `campaign--${randomUUID()}` };
    const rel = relationship(a.id, campaign.id);
    await append(c, a, rel);
    written.length = 0;
    await purge(a.id);
    expect(written).toEqual([c]);
    const events = await all(c);
    expect(events.map((e) => [e.objectId, e.operation, e.type]).sort()).toEqual([
      [a.id, 'purged', 'indicator'],
      [rel.id, 'purged', 'relationship'],
    ].sort());
    expect(events.every((e) => e.json === undefined)).toBe(true);
  });

  test('a purge removing a hub-made campaign that only the purged indicator named announces the campaign too', async () => {
    const c = await freshCollection();
    const a = indicator();
    const campaignId = `campaign--${randomUUID()}`;
    const campaign: NewObjectVersion = { id: campaignId, type: 'campaign', specVersion: '2.1', version: T0, providerOrgId: 'hq', tlp: 'green', recipients: [], object: { type: 'campaign', spec_version: '2.1', id: campaignId, created: iso(T0), modified: iso(T0), name: 'Operation Feed' } };
    const rel = relationship(a.id, campaignId);
    await append(c, a, campaign, rel);
    await db.query('INSERT INTO hub_object_keys (scope, key, object_id) VALUES ($1, $2, $3)', [c, 'campaign:operation feed', campaignId]); // made by the hub
    await purge(a.id);
    expect((await all(c)).map((e) => [e.objectId, e.operation]).sort()).toEqual([
      [a.id, 'purged'],
      [campaignId, 'purged'],
      [rel.id, 'purged'],
    ].sort());
  });

  test('a purge by one provider leaving another provider versions is an updated event carrying what remains', async () => {
    const c = await freshCollection();
    const a = indicator({ provider: 'east', tlp: 'amber' });
    await append(c, a, indicator({ id: a.id, modified: T0 + 1, provider: 'hq', tlp: 'amber' }));
    await objects.purgeObject(a.id, ['hq'], () => ({ actor: 'test', action: 'object.purge', entityType: 'object', entityId: a.id, before: null, after: null }));
    const events = await all(c);
    // The purged head's facts differ (hq's AMBER, east's AMBER): its readers learn of the purge first.
    expect(events.map((e) => [e.operation, e.providerOrgId, e.version])).toEqual([
      ['created', 'east', T0],
      ['purged', 'hq', T0 + 1],
      ['updated', 'east', T0],
    ]);
    // west reads hq's AMBER but not east's: it is told of the purge, and sees nothing of what remains.
    expect(brief(await all(c, reader('west', ['hq'])))).toEqual([[a.id, 'purged']]);
  });

  test('a DELETE that leaves an expired older version as the head announces it as expired', async () => {
    const c = await freshCollection();
    const a = indicator({ validUntil: T0 + HOUR });
    await append(c, a, indicator({ id: a.id, modified: T0 + 1 }));
    await deleteAll(c, a.id, { kind: 'some', first: false, last: false, at: [T0 + 1] });
    const events = await all(c);
    expect(events.map((e) => [e.operation, e.version])).toEqual([
      ['created', T0],
      ['expired', T0],
    ]);
    // Announced already: the expiry pass does not announce it again.
    expect((await feed.emitExpirations(Date.now() * 1000)).emitted.get(c)).toBeUndefined();
  });

  test('a purge leaves none of the object in the feed: its earlier expired event goes too', async () => {
    const c = await freshCollection();
    const a = indicator({ validUntil: T0 + HOUR });
    await append(c, a);
    await feed.emitExpirations(T0 + 2 * HOUR);
    expect(brief(await all(c))).toEqual([
      [a.id, 'created'],
      [a.id, 'expired'],
    ]);
    await purge(a.id);
    const events = await all(c);
    expect(brief(events)).toEqual([[a.id, 'purged']]);
    expect(JSON.stringify(events)).not.toContain('198.51.100.7');
  });

  test('expiry: each head is announced once, within one pass, with its object; the next pass finds nothing', async () => {
    const c = await freshCollection();
    const soon = indicator({ validUntil: T0 + HOUR });
    const later = indicator({ validUntil: T0 + 3 * HOUR });
    const forever = indicator();
    const revoked = indicator({ validUntil: T0 + HOUR, state: 'revoked' });
    await append(c, soon, later, forever, revoked);
    const start = await feed.lastPosition(c);
    const first = await feed.emitExpirations(T0 + 2 * HOUR);
    expect(first.emitted.get(c)).toBe(1);
    const events = await all(c, ALL, start);
    expect(brief(events)).toEqual([[soon.id, 'expired']]);
    expect(JSON.parse(events[0]?.json ?? '{}')).toMatchObject({ id: soon.id, valid_until: iso(T0 + HOUR) });
    expect((await feed.emitExpirations(T0 + 2 * HOUR)).emitted.get(c)).toBeUndefined();
    await feed.emitExpirations(T0 + 4 * HOUR);
    expect(brief(await all(c, ALL, start))).toEqual([
      [soon.id, 'expired'],
      [later.id, 'expired'],
    ]);
  });

  test('expiry: an indicator written already expired is announced by the next pass, and a new version is announced again', async () => {
    const c = await freshCollection();
    await feed.emitExpirations(T0 + 10 * HOUR); // the watermark is past what comes next
    const stale = indicator({ validUntil: T0 + HOUR });
    await append(c, stale);
    await feed.emitExpirations(T0 + 10 * HOUR + 1);
    expect(brief(await all(c))).toEqual([
      [stale.id, 'created'],
      [stale.id, 'expired'],
    ]);
    // A new version that is expired too is a new head version: announced once more.
    await append(c, indicator({ id: stale.id, modified: T0 + 1, validUntil: T0 + 2 * HOUR }));
    await feed.emitExpirations(T0 + 10 * HOUR + 2);
    await feed.emitExpirations(T0 + 10 * HOUR + 3);
    expect(brief(await all(c))).toEqual([
      [stale.id, 'created'],
      [stale.id, 'expired'],
      [stale.id, 'updated'],
      [stale.id, 'expired'],
    ]);
  });

  test('expiry: passes running at once (several hub processes) announce each head once', async () => {
    const c = await freshCollection();
    const ids = await Promise.all([1, 2, 3, 4, 5].map(async () => {
      const v = indicator({ validUntil: T0 + HOUR });
      await append(c, v);
      return v.id;
    }));
    const passes = await Promise.all([1, 2, 3, 4].map(() => feed.emitExpirations(T0 + 2 * HOUR)));
    expect(passes.reduce((n, p) => n + (p.emitted.get(c) ?? 0), 0)).toBe(5);
    const expired = (await all(c)).filter((e) => e.operation === 'expired').map((e) => e.objectId);
    expect(expired.sort()).toEqual([...ids].sort());
  });

  test('every kind of event is filtered by the reader scope: a branch never sees a sibling AMBER removal', async () => {
    const c = await freshCollection();
    const westAmber = [indicator({ provider: 'west', tlp: 'amber', validUntil: T0 + HOUR }), indicator({ provider: 'west', tlp: 'amber' }), indicator({ provider: 'west', tlp: 'amber' })];
    const hqAmber = [indicator({ provider: 'hq', tlp: 'amber', validUntil: T0 + HOUR }), indicator({ provider: 'hq', tlp: 'amber' }), indicator({ provider: 'hq', tlp: 'amber' })];
    await append(c, ...westAmber, ...hqAmber);
    await feed.emitExpirations(T0 + 2 * HOUR);
    for (const set of [westAmber, hqAmber]) {
      await deleteAll(c, (set[1] as NewObjectVersion).id);
      await purge((set[2] as NewObjectVersion).id);
    }
    const east = await all(c, EAST);
    expect(east.every((e) => e.providerOrgId === 'hq')).toBe(true);
    expect(brief(east).filter(([, op]) => op !== 'created')).toEqual([
      [hqAmber[0]?.id, 'expired'],
      [hqAmber[1]?.id, 'deleted'],
      [hqAmber[2]?.id, 'purged'],
    ]);
    const west = await all(c, WEST);
    expect(new Set(brief(west).filter(([, op]) => op !== 'created').map(([, op]) => op))).toEqual(new Set(['expired', 'deleted', 'purged']));
    expect(west.filter((e) => e.operation !== 'created')).toHaveLength(6);
  });

  test('access changes between two audiences: lost for what was readable and is not now, gained for heads readable only now', async () => {
    const c = await freshCollection();
    const westAmber = indicator({ provider: 'west', tlp: 'amber' });
    const hqAmber = indicator({ provider: 'hq', tlp: 'amber' });
    const green = indicator({ provider: 'west', tlp: 'green' });
    await append(c, westAmber, hqAmber, green);
    const through = await feed.lastPosition(c);
    const later = indicator({ provider: 'west', tlp: 'amber' });
    await append(c, later); // after the cursor: a normal event, not an access event
    const narrow = reader('east', []);
    const wide = reader('east', ['hq', 'west']);
    const gained = await feed.accessChanges(c, narrow, wide, through);
    expect(gained.map((e) => [e.objectId, e.operation, e.position])).toEqual(
      [[westAmber.id, 'access-gained', through], [hqAmber.id, 'access-gained', through]].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect(JSON.parse(gained[0]?.json ?? '{}')).toHaveProperty('type', 'indicator');
    const lost = await feed.accessChanges(c, wide, narrow, through);
    expect(lost.map((e) => [e.objectId, e.operation])).toEqual(
      [[westAmber.id, 'access-lost'], [hqAmber.id, 'access-lost']].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect(lost.every((e) => e.json === undefined)).toBe(true);
    expect(await feed.accessChanges(c, wide, wide, through)).toEqual([]);
    // An object the reader held and that was deleted after its cursor, in a removal it may no longer read: lost too.
    await deleteAll(c, westAmber.id);
    expect((await feed.accessChanges(c, wide, narrow, through)).map((e) => [e.objectId, e.operation, e.json])).toEqual(
      [[westAmber.id, 'access-lost', undefined], [hqAmber.id, 'access-lost', undefined]].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect((await feed.accessChanges(c, narrow, wide, through)).map((e) => e.objectId)).toEqual([hqAmber.id]);
    expect((await feed.accessChanges(c, wide, { kind: 'none' }, through)).map((e) => e.operation)).toEqual(['access-lost', 'access-lost', 'access-lost']);
  });
});
