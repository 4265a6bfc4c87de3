import { ALL_VERSIONS } from '../../../../src/domain/object-filters';
import { isHubError } from '../../../../src/domain/errors';
import type { ChangeEvent } from '../../../../src/storage/change-feed-store';
import { testEngines } from '../../../support/test-databases';
import { openChangeFeedWorld, REGIONAL, SHARED, who, WIDE, type ChangeFeedWorld } from './change-feed-world';

/**
 * The change feed as a reader sees it: what it may read now, from a signed cursor that names the
 * position and the audience it read under; access events first when that audience changed.
 */

async function errorCode(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (isHubError(error)) return error.code;
    throw error;
  }
  throw new Error('no error');
}

const ops = (events: readonly ChangeEvent[]) => events.map((e) => [e.objectId, e.operation]);

describe.each(testEngines())('the change feed service on %s', (engine) => {
  let world: ChangeFeedWorld;

  beforeAll(async () => {
    world = await openChangeFeedWorld(engine);
  });
  afterAll(() => world.close());

  test('a reader walks the feed page by page with the cursor each read returns', async () => {
    const start = await world.service.currentCursor(who.east, REGIONAL);
    const written = [];
    for (let i = 0; i < 5; i++) written.push((await world.indicator(REGIONAL, 'hq', 'green')).id);
    const first = await world.service.read(who.east, REGIONAL, start, 3);
    expect(first.events.map((e) => e.objectId)).toEqual(written.slice(0, 3));
    expect(first.more).toBe(true);
    const second = await world.service.read(who.east, REGIONAL, first.cursor, 3);
    expect(second.events.map((e) => e.objectId)).toEqual(written.slice(3));
    expect(second.more).toBe(false);
    const third = await world.service.read(who.east, REGIONAL, second.cursor, 3);
    expect(third).toEqual({ events: [], cursor: second.cursor, more: false });
    // Another hub process verifies the same cursor (the key is a hub secret).
    expect((await world.otherProcess().read(who.east, REGIONAL, first.cursor, 10)).events.map((e) => e.objectId)).toEqual(written.slice(3));
  });

  test('a branch never sees a sibling branch AMBER object, nor its removal', async () => {
    const eastStart = await world.service.currentCursor(who.east, REGIONAL);
    const westStart = await world.service.currentCursor(who.west, REGIONAL);
    const westAmber = await world.indicator(REGIONAL, 'west', 'amber');
    const hqAmber = await world.indicator(REGIONAL, 'hq', 'amber');
    for (const { id } of [westAmber, hqAmber]) {
      await world.objects.deleteVersions(
        { collectionId: REGIONAL, scope: { kind: 'all' }, id, providerOrgIds: ['hq', 'west'], versions: ALL_VERSIONS, specVersions: { kind: 'any' } },
        () => ({ actor: 'test', action: 'object.delete', entityType: 'object', entityId: id, before: null, after: null }),
      );
    }
    const east = await world.service.read(who.east, REGIONAL, eastStart, 100);
    expect(ops(east.events)).toEqual([[hqAmber.id, 'deleted']]);
    const west = await world.service.read(who.west, REGIONAL, westStart, 100);
    expect(ops(west.events)).toEqual([
      [westAmber.id, 'deleted'],
      [hqAmber.id, 'deleted'],
    ]);
  });

  test('the types option narrows the events', async () => {
    const start = await world.service.currentCursor(who.east, REGIONAL);
    await world.indicator(REGIONAL, 'hq', 'green');
    expect((await world.service.read(who.east, REGIONAL, start, 10, { types: ['malware'] })).events).toEqual([]);
    expect((await world.service.read(who.east, REGIONAL, start, 10, { types: ['indicator'] })).events).toHaveLength(1);
  });

  describe('cursors', () => {
    test('a cursor of another collection, a forged audience, an altered position or garbage is INVALID_CURSOR', async () => {
      const cursor = await world.service.currentCursor(who.east, REGIONAL);
      const [position, audience, mac] = cursor.split('.') as [string, string, string];
      const westAudience = (await world.service.currentCursor(who.west, REGIONAL)).split('.')[1] as string;
      expect(await errorCode(world.service.read(who.east, SHARED, cursor, 10))).toBe('INVALID_CURSOR');
      expect(await errorCode(world.service.read(who.east, REGIONAL, `${position}.${westAudience}.${mac}`, 10))).toBe('INVALID_CURSOR');
      expect(await errorCode(world.service.read(who.east, REGIONAL, `${Number(position) - 1}.${audience}.${mac}`, 10))).toBe('INVALID_CURSOR');
      for (const garbage of ['', 'x', '1.2', '1.2.3.4', `${position}.${audience}.`, `-1.${audience}.${mac}`, `1e3.${audience}.${mac}`, '\u0000.\u0000.\u0000']) {
        expect(await errorCode(world.service.read(who.east, REGIONAL, garbage, 10))).toBe('INVALID_CURSOR');
      }
      expect(world.service.decodeCursor(REGIONAL, cursor)).toEqual({ ok: true, position: Number(position), audienceKey: audience });
      expect(world.service.decodeCursor(SHARED, cursor).ok).toBe(false);
    });

    test('a reader who may not read the collection is refused as TAXII reads refuse it, whatever the cursor', async () => {
      const outsider = { ...who.east, organizationId: 'nobody' };
      expect(await errorCode(world.service.read(outsider, REGIONAL, undefined, 10))).toBe('NOT_FOUND');
      expect(await errorCode(world.service.currentCursor(outsider, REGIONAL))).toBe('NOT_FOUND');
      expect(await errorCode(world.service.read({ ...who.east, roles: new Set() }, REGIONAL, undefined, 10))).toBe('FORBIDDEN');
      expect(await errorCode(world.service.read(who.east, 'no-such-collection', undefined, 10))).toBe('NOT_FOUND');
      expect(await errorCode(world.service.read(who.east, REGIONAL, undefined, 0))).toBe('BAD_REQUEST');
    });
  });

  describe('access changes', () => {
    afterEach(async () => {
      if (!(await world.tenancy.trustGroups.get(WIDE.id))) await world.tenancy.trustGroups.insert(WIDE);
      else await world.tenancy.trustGroups.update(WIDE);
      world.policy.invalidate();
    });

    test('a membership change: access-lost first for what the reader can no longer read, then the cursor carries the new audience; re-adding gives access-gained', async () => {
      const westAmber = await world.indicator(SHARED, 'west', 'amber');
      const hqAmber = await world.indicator(SHARED, 'hq', 'amber');
      const seen = await world.service.read(who.east, SHARED, undefined, 1_000);
      expect(seen.events.map((e) => e.objectId)).toEqual(expect.arrayContaining([westAmber.id, hqAmber.id]));

      await world.tenancy.trustGroups.update({ ...WIDE, members: ['hq', 'east'] }); // west leaves `wide`
      world.policy.invalidate();
      const later = await world.indicator(SHARED, 'hq', 'green');
      const after = await world.service.read(who.east, SHARED, seen.cursor, 1_000);
      expect(ops(after.events)).toEqual([
        [westAmber.id, 'access-lost'],
        [later.id, 'created'],
      ]);
      expect(after.events[0]?.json).toBeUndefined();
      // The new cursor names the new audience: no access events again.
      expect((await world.service.read(who.east, SHARED, after.cursor, 1_000)).events).toEqual([]);

      await world.tenancy.trustGroups.update(WIDE); // west is back
      world.policy.invalidate();
      const back = await world.service.read(who.east, SHARED, after.cursor, 1_000);
      expect(ops(back.events)).toEqual([[westAmber.id, 'access-gained']]);
      expect(JSON.parse(back.events[0]?.json ?? '{}')).toMatchObject({ id: westAmber.id });
    });

    test('a group deleted: its members lose what only that group let them read', async () => {
      const westAmber = await world.indicator(SHARED, 'west', 'amber');
      const seen = await world.service.read(who.east, SHARED, undefined, 1_000);
      expect(seen.events.map((e) => e.objectId)).toContain(westAmber.id);
      await world.tenancy.trustGroups.delete(WIDE.id);
      world.policy.invalidate();
      const after = await world.service.read(who.east, SHARED, seen.cursor, 1_000);
      // Every west AMBER object east read before is lost; hq's (through `tree`) stay.
      expect(after.events.length).toBeGreaterThan(0);
      expect(after.events.every((e) => e.operation === 'access-lost' && e.providerOrgId === 'west')).toBe(true);
      expect(after.events.map((e) => e.objectId)).toContain(westAmber.id);
    });
  });
});
