import type { PollInput, Taxii11PollService } from '../../../src/services/taxii11/poll-service';
import { testEngines } from '../../support/test-databases';
import { blockIds, COLLECTIONS, failure, indicator, openPollTestHub, who, type PollTestHub } from './poll-test-hub';

/** Multi-part results and Poll Fulfillment (checklist a.8 MP-01..MP-07, MT-02), parts of 3 records. */

const ACME = COLLECTIONS.acme.name;
const EAST = 'acme-east';
const PART = 3;

const poll = (exclusiveBegin: number, more: Partial<PollInput> = {}): PollInput => ({ collectionName: ACME, exclusiveBegin, responseType: 'FULL', contentBindings: [], query: false, ...more });
describe.each(testEngines())('TAXII 1.1 result sets on %s', (engine) => {
  let hub: PollTestHub;
  let clock: number;
  let polls: Taxii11PollService;

  beforeAll(async () => {
    hub = await openPollTestHub(engine);
    clock = Date.now();
    polls = hub.pollService({ partSize: PART, now: () => clock });
  });
  afterAll(() => hub.close());

  /** Eight records carol (acme-west) reads, with a sibling's AMBER one among them that she does not. */
  async function eightReadable() {
    const before = await hub.feed.lastLabel(COLLECTIONS.acme.id);
    const readable = Array.from({ length: 8 }, () => indicator(EAST, 'green'));
    const versions = [...readable.slice(0, 4), indicator(EAST, 'amber'), ...readable.slice(4)];
    const labels = await hub.write(COLLECTIONS.acme.id, versions);
    const readableLabels = labels.filter((_l, i) => i !== 4);
    return { before, ids: readable.map((v) => v.id), labels: readableLabels, end: labels.at(-1) as number };
  }

  test('three contiguous parts of at most 3 records, each with its own bounds; more only before the last (MP-01, MP-02, MP-07)', async () => {
    const { before, ids: expected, labels, end } = await eightReadable();
    const first = await polls.poll(who.carol, poll(before));
    expect(first).toMatchObject({ partNumber: 1, more: true, exclusiveBegin: before, inclusiveEnd: labels[2], recordCount: { count: 8, partial: false } });
    expect(first.resultId).toMatch(/^[0-9a-f-]{36}$/);
    const resultId = first.resultId as string;
    const second = await polls.fulfil(who.carol, ACME, resultId, 2);
    const third = await polls.fulfil(who.carol, ACME, resultId, 3);
    expect(second).toMatchObject({ resultId, partNumber: 2, more: true, exclusiveBegin: labels[2], inclusiveEnd: labels[5], recordCount: { count: 8, partial: false } });
    // The last part ends where the window does: the last committed label when the poll was answered.
    expect(third).toMatchObject({ resultId, partNumber: 3, more: false, exclusiveBegin: labels[5], inclusiveEnd: end, recordCount: { count: 8, partial: false } });
    expect([first, second, third].map(blockIds)).toEqual([expected.slice(0, 3), expected.slice(3, 6), expected.slice(6)]);
    expect([first, second, third].flatMap((p) => p.blocks.map((b) => b.timestampLabel))).toEqual(labels);
  });

  test('a part asked for again holds the same records, even after more were written (MP-05)', async () => {
    const { before } = await eightReadable();
    const first = await polls.poll(who.carol, poll(before));
    const resultId = first.resultId as string;
    const second = await polls.fulfil(who.carol, ACME, resultId, 2);
    await hub.write(COLLECTIONS.acme.id, [indicator(EAST, 'green'), indicator(EAST, 'green')]);
    expect(await polls.fulfil(who.carol, ACME, resultId, 2)).toEqual(second);
    expect(blockIds(await polls.fulfil(who.carol, ACME, resultId, 1))).toEqual(blockIds(first));
    expect((await polls.fulfil(who.carol, ACME, resultId, 3)).more).toBe(false);
  });

  test('a part beyond the last, or before the first, is INVALID_RESPONSE_PART with MAX_PART_NUMBER (MP-04)', async () => {
    const { before } = await eightReadable();
    const resultId = (await polls.poll(who.carol, poll(before))).resultId as string;
    for (const part of [4, 0]) {
      const error = await failure(polls.fulfil(who.carol, ACME, resultId, part));
      expect(error.code).toBe('INVALID_RESPONSE_PART');
      expect(error.details.statusDetails).toEqual([{ name: 'MAX_PART_NUMBER', value: '3' }]);
    }
  });

  test('only the organization that polled may fulfil: for another one the set does not exist (MP-06, MT-02)', async () => {
    const { before } = await eightReadable();
    const resultId = (await polls.poll(who.carol, poll(before))).resultId as string;
    const other = await failure(polls.fulfil(who.alice, ACME, resultId, 2)); // acme-hq reads the collection too
    expect(other.code).toBe('NOT_FOUND');
    expect(other.details.statusDetails).toEqual([{ name: 'ITEM', value: resultId }]);
    expect((await failure(polls.fulfil(who.carol, ACME, 'r-unknown', 2))).code).toBe('NOT_FOUND');
    // Named with another collection the caller reads: not this set.
    expect((await failure(polls.fulfil(who.alice, COLLECTIONS.isac.name, (await polls.poll(who.alice, poll(before))).resultId as string, 2))).code).toBe('NOT_FOUND');
  });

  test('another user of the same organization may fulfil', async () => {
    const { before, ids: expected } = await eightReadable();
    const resultId = (await polls.poll(who.alice, poll(before))).resultId as string;
    // alice (acme-hq) reads the AMBER one too: 9 records, parts 3 + 3 + 3.
    const fromAlice2 = await polls.fulfil(who.alice2, ACME, resultId, 3);
    expect(fromAlice2.recordCount.count).toBe(9);
    expect(blockIds(fromAlice2)).toEqual(expected.slice(5));
  });

  test('an exactly full last part has no empty part after it (MP-07); a result of one part has no result set', async () => {
    const before = await hub.feed.lastLabel(COLLECTIONS.acme.id);
    await hub.write(COLLECTIONS.acme.id, Array.from({ length: 6 }, () => indicator(EAST, 'green')));
    const first = await polls.poll(who.carol, poll(before));
    expect(first.more).toBe(true);
    const last = await polls.fulfil(who.carol, ACME, first.resultId as string, 2);
    expect(last.more).toBe(false);
    expect(last.blocks).toHaveLength(3);
    expect((await failure(polls.fulfil(who.carol, ACME, first.resultId as string, 3))).details.statusDetails).toEqual([{ name: 'MAX_PART_NUMBER', value: '2' }]);

    const single = await polls.poll(who.carol, poll(last.inclusiveEnd - 1));
    expect(single).toMatchObject({ more: false, partNumber: 1 });
    expect(single.resultId).toBeUndefined();
  });

  test('an expired result set is gone (NOT_FOUND)', async () => {
    const { before } = await eightReadable();
    const resultId = (await polls.poll(who.carol, poll(before))).resultId as string;
    clock += 60 * 60 * 1000;
    expect((await failure(polls.fulfil(who.carol, ACME, resultId, 2))).code).toBe('NOT_FOUND');
  });

  test('a subscription poll echoes the subscription id in every part', async () => {
    const { before } = await eightReadable();
    const first = await polls.poll(who.carol, poll(before, { subscription: { id: 'sub-7', responseType: 'FULL', contentBindings: [] } }));
    expect(first.subscriptionId).toBe('sub-7');
    expect((await polls.fulfil(who.carol, ACME, first.resultId as string, 2)).subscriptionId).toBe('sub-7');
  });

  test('a part is read with the access of now: a caller whose access changed gets what it may read now, and a fresh count', async () => {
    const { before, ids: expected } = await eightReadable();
    const amberId = (await hub.feed.records({ collectionId: COLLECTIONS.acme.id, scope: { kind: 'all' }, addedAfter: before }, 5)).records[4]?.id;
    const resultId = (await polls.poll(who.carol, poll(before))).resultId as string;
    const tree = await hub.store.trustGroups.get('acme-tree');
    if (tree === undefined) throw new Error('the demo config has no acme-tree');
    // acme-west becomes a child of acme-east: it now reads acme-east's AMBER objects (vertical-descendant).
    await hub.store.trustGroups.update({ ...tree, tree: { 'acme-hq': ['acme-east'], 'acme-east': ['acme-west'] } });
    try {
      const second = await polls.fulfil(who.carol, ACME, resultId, 2);
      expect(blockIds(second)).toEqual([expected[3], amberId, expected[4], expected[5]]);
      expect(second.recordCount).toEqual({ count: 9, partial: false });
    } finally {
      await hub.store.trustGroups.update(tree);
    }
  });
});
