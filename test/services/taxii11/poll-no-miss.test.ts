import type { PollPart, Taxii11PollService } from '../../../src/services/taxii11/poll-service';
import { testEngines } from '../../support/test-databases';
import { COLLECTIONS, indicator, openPollTestHub, who, type PollTestHub } from './poll-test-hub';

/**
 * The no-miss guarantee of an incremental TAXII 1.1 poller (P-14, P-15, TL-02, MP-02): several writers
 * append to one collection through the real ObjectStore, each in its own transactions, while a
 * poller loops, sending each answer's Inclusive_End_Timestamp as its next Exclusive_Begin_Timestamp
 * (after fetching every part of a multi-part answer). Every version written is seen exactly once.
 */

const WRITERS = 4;
const WRITES_PER_WRITER = 30;
const PART = 7;

describe.each(testEngines())('TAXII 1.1 polling under concurrent writers on %s', (engine) => {
  let hub: PollTestHub;
  let polls: Taxii11PollService;

  beforeAll(async () => {
    hub = await openPollTestHub(engine);
    polls = hub.pollService({ partSize: PART });
  });
  afterAll(() => hub.close());

  /** One poll and every further part of its answer; the end to continue from is the last part's. */
  async function pollAll(exclusiveBegin: number): Promise<{ labels: number[]; end: number; parts: PollPart[] }> {
    const first = await polls.poll(who.alice, { collectionName: COLLECTIONS.acme.name, exclusiveBegin, responseType: 'FULL', contentBindings: [], query: false });
    const parts = [first];
    for (let n = 2; parts.at(-1)?.more; n++) parts.push(await polls.fulfil(who.alice, COLLECTIONS.acme.name, first.resultId as string, n));
    for (const [i, part] of parts.entries()) {
      // Contiguous parts: each begins where the one before ended.
      expect(part.exclusiveBegin).toBe(i === 0 ? exclusiveBegin : parts[i - 1]?.inclusiveEnd);
    }
    return { labels: parts.flatMap((p) => p.blocks.map((b) => b.timestampLabel)), end: parts.at(-1)?.inclusiveEnd as number, parts };
  }

  test('pollers continuing from each inclusive end see every version exactly once, none missed', async () => {
    const start = await hub.feed.lastLabel(COLLECTIONS.acme.id);
    const total = WRITERS * (WRITES_PER_WRITER + WRITES_PER_WRITER / 5);
    let writing = true;
    let committed = 0;
    let halfway: () => void = () => {};
    const halfwayThere = new Promise<void>((resolve) => (halfway = resolve));
    const writer = async (w: number) => {
      // New indicators, and new versions of earlier ones: every version is a record.
      const provider = w % 2 === 0 ? 'acme-east' : 'acme-hq';
      let previous: string | undefined;
      for (let i = 0; i < WRITES_PER_WRITER; i++) {
        const batch = [indicator(provider, i % 3 === 2 ? 'green' : 'amber', i % 3 === 2 && previous !== undefined ? { id: previous } : {})];
        if (i % 5 === 4) batch.push(indicator('acme-west', 'green'));
        await hub.write(COLLECTIONS.acme.id, batch);
        previous = batch[0]?.id;
        committed += batch.length;
        if (committed >= total / 2) halfway();
      }
    };

    /** Polls from `start` once `ready`, while the writers write, then once more after they are done. */
    const poller = async (ready: Promise<void>) => {
      await ready;
      const seen: number[] = [];
      let begin = start;
      let polled = 0;
      let multiPart = 0;
      for (let done = false; !done; ) {
        done = !writing; // the poll after the writers finished is the last
        const { labels, end, parts } = await pollAll(begin);
        expect(end).toBeGreaterThanOrEqual(begin);
        seen.push(...labels);
        begin = end;
        polled++;
        if (parts.length > 1) multiPart++;
      }
      return { seen, polled, multiPart };
    };

    const writers = Promise.all(Array.from({ length: WRITERS }, (_v, w) => writer(w))).finally(() => {
      writing = false;
    });
    // One poller from the start; one that starts late, when half was written, so its first answer has many parts.
    const [early, late] = await Promise.all([poller(Promise.resolve()), poller(halfwayThere), writers]);

    const written = (await hub.feed.records({ collectionId: COLLECTIONS.acme.id, scope: { kind: 'all' }, types: ['indicator'], addedAfter: start }, 10_000)).records.map((r) => r.dateAdded);
    expect(written).toHaveLength(total);
    for (const { seen } of [early, late]) {
      expect(seen).toEqual(written); // every version once, in label order
    }
    // The early poller polled while writes were landing; the late one began with an answer of several parts.
    expect(early.polled).toBeGreaterThan(1);
    expect(late.multiPart).toBeGreaterThan(0);
  });
});
