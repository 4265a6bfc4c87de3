import { ALL_VERSIONS } from '../../../../src/domain/object-filters';
import type { ChangeEvent } from '../../../../src/storage/change-feed-store';
import { testEngines } from '../../../support/test-databases';
import { openChangeFeedWorld, REGIONAL, who, type ChangeFeedWorld } from './change-feed-world';

/**
 * The no-miss guarantee of the change feed (mirrors the TAXII 1.1 poll-no-miss test): four writers
 * append indicators and delete some, each in its own transactions, while a reader walks the feed
 * with the cursor each read returns. The reader sees every event exactly once, in position order.
 */

const WRITERS = 4;
const WRITES_PER_WRITER = 30;

describe.each(testEngines())('the change feed under concurrent writers on %s', (engine) => {
  let world: ChangeFeedWorld;

  beforeAll(async () => {
    world = await openChangeFeedWorld(engine);
  });
  afterAll(() => world.close());

  test('a reader following its cursor sees every event exactly once, none missed', async () => {
    const start = await world.service.currentCursor(who.hq, REGIONAL);
    let writing = true;
    const writer = async (w: number) => {
      for (let i = 0; i < WRITES_PER_WRITER; i++) {
        const { id } = await world.indicator(REGIONAL, w % 2 === 0 ? 'hq' : 'east', i % 3 === 0 ? 'green' : 'amber');
        if (i % 4 === 3) {
          await world.objects.deleteVersions(
            { collectionId: REGIONAL, scope: { kind: 'all' }, id, providerOrgIds: ['hq', 'east'], versions: ALL_VERSIONS, specVersions: { kind: 'any' } },
            () => ({ actor: 'test', action: 'object.delete', entityType: 'object', entityId: id, before: null, after: null }),
          );
        }
      }
    };
    const reader = async () => {
      const seen: ChangeEvent[] = [];
      let cursor = start;
      let reads = 0;
      for (let done = false; !done; ) {
        done = !writing; // the read after the writers finished is the last (and every page of it)
        for (let more = true; more; ) {
          const page = await world.service.read(who.hq, REGIONAL, cursor, 7);
          seen.push(...page.events);
          cursor = page.cursor;
          more = page.more;
          reads++;
        }
      }
      return { seen, reads };
    };
    const writers = Promise.all(Array.from({ length: WRITERS }, (_v, w) => writer(w))).finally(() => {
      writing = false;
    });
    const [{ seen, reads }] = await Promise.all([reader(), writers]);

    const everything = await world.service.read(who.hq, REGIONAL, start, 1_000);
    expect(everything.more).toBe(false);
    const deletes = WRITERS * Math.floor(WRITES_PER_WRITER / 4);
    // A deleted indicator's versions leave the feed, its deleted event stays: one event per indicator.
    expect(everything.events).toHaveLength(WRITERS * WRITES_PER_WRITER);
    expect(everything.events.filter((e) => e.operation === 'deleted')).toHaveLength(deletes);
    // What the reader saw while writers wrote: every event once, in position order. (It may also have
    // seen created events whose versions a later DELETE removed from the feed.)
    const seenPositions = seen.map((e) => e.position);
    expect([...seenPositions].sort((a, b) => a - b)).toEqual(seenPositions);
    expect(new Set(seenPositions).size).toBe(seenPositions.length);
    expect(seenPositions).toEqual(expect.arrayContaining(everything.events.map((e) => e.position)));
    expect(reads).toBeGreaterThan(1);
  });
});
