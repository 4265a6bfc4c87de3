import { CONTENT_BINDING_STIX_111, CONTENT_BINDING_STIX_12 } from '../../../src/domain/taxii11/taxii-identifiers';
import type { Principal } from '../../../src/domain/principal';
import type { PollInput, Taxii11PollService } from '../../../src/services/taxii11/poll-service';
import { testEngines } from '../../support/test-databases';
import { blockIds, COLLECTIONS, failure, HUB_NAME, indicator, openPollTestHub, readFake, stixObject, who, type PollTestHub } from './poll-test-hub';

/**
 * The TAXII 1.1 Poll service against the real stores (checklist a.7 P-*, a.11 TL-*, a.13 MT-*);
 * multi-part answers are in poll-result-sets.test.ts, concurrent writers in poll-no-miss.test.ts.
 */

const ACME = COLLECTIONS.acme.name;
const EAST = 'acme-east';

const full = (collectionName: string, window: Pick<PollInput, 'exclusiveBegin' | 'inclusiveEnd'> = {}, more: Partial<PollInput> = {}): PollInput => ({
  collectionName,
  responseType: 'FULL',
  contentBindings: [],
  query: false,
  ...window,
  ...more,
});

describe.each(testEngines())('TAXII 1.1 poll on %s', (engine) => {
  let hub: PollTestHub;
  let polls: Taxii11PollService;

  beforeAll(async () => {
    hub = await openPollTestHub(engine);
    polls = hub.pollService();
  });
  afterAll(() => hub.close());

  /** Writes the versions after everything written so far and answers the label before them and theirs. */
  async function fresh(collectionId: string, ...versions: Parameters<PollTestHub['write']>[1][number][]) {
    const before = await hub.feed.lastLabel(collectionId);
    return { before, labels: await hub.write(collectionId, versions) };
  }

  describe('the window (P-03, P-12, P-13, P-15)', () => {
    test('exclusive begin, inclusive end: a record at the begin is left out, one at the end is in; both bounds are answered', async () => {
      const versions = [indicator(EAST, 'green'), indicator(EAST, 'green'), indicator(EAST, 'green')];
      const { labels } = await fresh(COLLECTIONS.acme.id, ...versions);
      const [l1, l2, l3] = labels as [number, number, number];
      const part = await polls.poll(who.alice, full(ACME, { exclusiveBegin: l1, inclusiveEnd: l2 }));
      expect(blockIds(part)).toEqual([versions[1]?.id]);
      expect(part).toMatchObject({ exclusiveBegin: l1, inclusiveEnd: l2, more: false, partNumber: 1, recordCount: { count: 1, partial: false } });
      expect(part.blocks[0]?.timestampLabel).toBe(l2);
      expect(blockIds(await polls.poll(who.alice, full(ACME, { exclusiveBegin: l2, inclusiveEnd: l3 })))).toEqual([versions[2]?.id]);
    });

    test('without an end the answer still has one (P-12): the last committed label, never beyond it (P-15)', async () => {
      const { before, labels } = await fresh(COLLECTIONS.acme.id, indicator(EAST, 'green'));
      const open = await polls.poll(who.alice, full(ACME, { exclusiveBegin: before }));
      expect(open.inclusiveEnd).toBe(labels[0]);
      expect(open.inclusiveEnd).toBe(await hub.feed.lastLabel(COLLECTIONS.acme.id));
      // An end requested beyond what is committed is cut back to it.
      const far = await polls.poll(who.alice, full(ACME, { exclusiveBegin: before, inclusiveEnd: (labels[0] as number) + 86_400_000_000 }));
      expect(far.inclusiveEnd).toBe(labels[0]);
      // Without a begin: no begin in the answer, everything up to the end.
      const all = await polls.poll(who.alice, full(ACME));
      expect(all.exclusiveBegin).toBeUndefined();
      expect(all.inclusiveEnd).toBe(labels[0]);
    });

    test('a begin beyond everything committed answers the empty window (begin, begin], not an end before the begin', async () => {
      const last = await hub.feed.lastLabel(COLLECTIONS.acme.id);
      const part = await polls.poll(who.alice, full(ACME, { exclusiveBegin: last + 5_000_000 }));
      expect(part).toMatchObject({ exclusiveBegin: last + 5_000_000, inclusiveEnd: last + 5_000_000, blocks: [], recordCount: { count: 0, partial: false } });
    });

    test('a collection never written answers the epoch as its end', async () => {
      expect(await polls.poll(who.frank, full(COLLECTIONS.initech.name))).toMatchObject({ inclusiveEnd: 0, blocks: [], more: false });
    });

    test('an end not after the begin is a bad message (P-05)', async () => {
      expect((await failure(polls.poll(who.alice, full(ACME, { exclusiveBegin: 10, inclusiveEnd: 10 })))).code).toBe('BAD_REQUEST');
    });
  });

  describe('per-object access, the same decide as TAXII 2.1 (P-14, P-18, MT-01)', () => {
    test("a sibling branch never receives or counts another branch's AMBER object; a RED object reaches only its named recipient", async () => {
      const green = indicator(EAST, 'green');
      const amber = indicator(EAST, 'amber');
      const red = indicator(EAST, 'red', { recipients: ['acme-hq'] });
      const { before } = await fresh(COLLECTIONS.acme.id, green, amber, red);
      const window = { exclusiveBegin: before };

      const carol = await polls.poll(who.carol, full(ACME, window)); // acme-west: the sibling
      expect(blockIds(carol)).toEqual([green.id]);
      expect(carol.recordCount).toEqual({ count: 1, partial: false });
      expect((await polls.poll(who.carol, full(ACME, window, { responseType: 'COUNT_ONLY' }))).recordCount.count).toBe(1);

      const alice = await polls.poll(who.alice, full(ACME, window)); // acme-hq: the parent, and the RED recipient
      expect(blockIds(alice)).toEqual([green.id, amber.id, red.id]);
      expect(blockIds(await polls.poll(who.bob, full(ACME, window)))).toEqual([green.id, amber.id, red.id]); // the provider
    });

    test('a collection the caller does not see is not found, with its name as ITEM; one it sees but may not read is denied', async () => {
      const hidden = await failure(polls.poll(who.carol, full(COLLECTIONS.isac.name)));
      expect(hidden.code).toBe('NOT_FOUND');
      expect(hidden.details.statusDetails).toEqual([{ name: 'ITEM', value: COLLECTIONS.isac.name }]);
      expect((await failure(polls.poll(who.carol, full('no-such-collection')))).code).toBe('NOT_FOUND');
      expect((await failure(polls.poll(who.heidi, full(COLLECTIONS.isac.name)))).code).toBe('FORBIDDEN'); // provider only: no consumer role
      expect((await failure(polls.poll(undefined, full(ACME)))).code).toBe('AUTHENTICATION_REQUIRED');
    });

    test('an operator reads everything, and the read is audited as a TAXII 2.1 read is', async () => {
      const { before } = await fresh(COLLECTIONS.acme.id, indicator(EAST, 'red', { recipients: ['acme-hq'] }));
      expect((await polls.poll(who.operator, full(ACME, { exclusiveBegin: before }))).blocks).toHaveLength(1);
      const audit = await hub.store.audit.list({ entityType: 'collection', entityId: COLLECTIONS.acme.id, limit: 100 });
      expect(audit.map((a) => [a.actor, a.action])).toContainEqual(['operator', 'collection.operator-read']);
    });
  });

  describe('records and blocks', () => {
    test('every version is a record: a revocation is a later record of the same indicator', async () => {
      const first = indicator(EAST, 'green');
      const revoked = indicator(EAST, 'green', { id: first.id, revoked: true });
      const { before } = await fresh(COLLECTIONS.acme.id, first);
      await hub.write(COLLECTIONS.acme.id, [revoked]);
      const part = await polls.poll(who.carol, full(ACME, { exclusiveBegin: before }));
      expect(blockIds(part)).toEqual([first.id, first.id]);
      expect(part.recordCount.count).toBe(2);
    });

    test('only indicators are records: campaigns and relationships are not blocks, but a readable indicated campaign reaches the renderer', async () => {
      const ind = indicator(EAST, 'green');
      const campaign = stixObject('campaign', EAST, 'green', { name: 'Operation Lantern' });
      const hiddenCampaign = stixObject('campaign', EAST, 'amber', { name: 'Operation Shade' });
      const rel = (target: string) => stixObject('relationship', EAST, 'green', { relationship_type: 'indicates', source_ref: ind.id, target_ref: target });
      const { before } = await fresh(COLLECTIONS.acme.id, ind, campaign, hiddenCampaign, rel(campaign.id), rel(hiddenCampaign.id));
      const carol = await polls.poll(who.carol, full(ACME, { exclusiveBegin: before }));
      expect(carol.blocks.map((b) => readFake(b.contentXml).campaigns)).toEqual(['Operation Lantern']);
      expect(carol.recordCount.count).toBe(1);
      const alice = await polls.poll(who.alice, full(ACME, { exclusiveBegin: before }));
      expect(readFake(alice.blocks[0]?.contentXml ?? '').campaigns.split(',').sort()).toEqual(['Operation Lantern', 'Operation Shade']);
    });

    test('the source is the providing organization where attribution is shown, the hub where it is hidden', async () => {
      const attributed = indicator(EAST, 'green', { createdByRef: 'identity--7d8e3f5a-1111-4c1a-9a33-222222222222' });
      const { before } = await fresh(COLLECTIONS.acme.id, attributed);
      const block = readFake((await polls.poll(who.carol, full(ACME, { exclusiveBegin: before }))).blocks[0]?.contentXml ?? '');
      expect(block).toMatchObject({ source: 'ACME East', sourceId: 'identity--7d8e3f5a-1111-4c1a-9a33-222222222222' });

      // isac-feed hides attribution: the hub's identity stands in for the provider.
      const hubId = await hub.hubIdentity();
      const isac = await fresh(COLLECTIONS.isac.id, indicator('initech', 'green', { createdByRef: hubId }), indicator('initech', 'green'));
      const grace = await polls.poll(who.grace, full(COLLECTIONS.isac.name, { exclusiveBegin: isac.before }));
      expect(grace.blocks.map((b) => readFake(b.contentXml))).toEqual([
        expect.objectContaining({ source: HUB_NAME, sourceId: hubId }),
        expect.objectContaining({ source: HUB_NAME, sourceId: hubId }),
      ]);
    });

    test('records that do not map are left out and counted, and never make the poll fail (P-17: count ≥ blocks)', async () => {
      const ok = indicator(EAST, 'green');
      const { before } = await fresh(COLLECTIONS.acme.id, ok, indicator(EAST, 'green', { name: 'unmappable' }), indicator(EAST, 'green', { name: 'throws' }));
      hub.unmapped.length = 0;
      const part = await polls.poll(who.carol, full(ACME, { exclusiveBegin: before }));
      expect(blockIds(part)).toEqual([ok.id]);
      expect(part.recordCount).toEqual({ count: 3, partial: false });
      expect(hub.unmapped).toEqual([2]);
    });
  });

  describe('parameters (P-06..P-08, P-17)', () => {
    test('COUNT_ONLY answers the count and the window, no blocks and no result set', async () => {
      const { before, labels } = await fresh(COLLECTIONS.acme.id, indicator(EAST, 'green'), indicator(EAST, 'amber'));
      const part = await hub.pollService({ partSize: 1 }).poll(who.alice, full(ACME, { exclusiveBegin: before }, { responseType: 'COUNT_ONLY' }));
      expect(part).toEqual({ collectionName: ACME, partNumber: 1, more: false, exclusiveBegin: before, inclusiveEnd: labels[1], recordCount: { count: 2, partial: false }, blocks: [] });
    });

    test('the content-binding filter: STIX 1.2 by default and when asked for, STIX 1.1.1 when only that is asked for', async () => {
      const { before } = await fresh(COLLECTIONS.acme.id, indicator(EAST, 'green'));
      const bindings = async (contentBindings: PollInput['contentBindings']) =>
        (await polls.poll(who.carol, full(ACME, { exclusiveBegin: before }, { contentBindings }))).blocks.map((b) => [b.bindingId, readFake(b.contentXml).binding]);
      expect(await bindings([])).toEqual([[CONTENT_BINDING_STIX_12, CONTENT_BINDING_STIX_12]]);
      expect(await bindings([{ bindingId: CONTENT_BINDING_STIX_111, subtypes: [] }])).toEqual([[CONTENT_BINDING_STIX_111, CONTENT_BINDING_STIX_111]]);
      expect(await bindings([{ bindingId: 'urn:example:other', subtypes: [] }, { bindingId: CONTENT_BINDING_STIX_12, subtypes: [] }])).toEqual([[CONTENT_BINDING_STIX_12, CONTENT_BINDING_STIX_12]]);
    });

    test('none of the requested bindings offered: UNSUPPORTED_CONTENT_BINDING naming each offered binding (P-07)', async () => {
      for (const contentBindings of [[{ bindingId: 'urn:stix.mitre.org:json:2.1', subtypes: [] }], [{ bindingId: CONTENT_BINDING_STIX_12, subtypes: ['urn:example:subtype'] }]]) {
        const error = await failure(polls.poll(who.carol, full(ACME, {}, { contentBindings })));
        expect(error.code).toBe('UNSUPPORTED_CONTENT_BINDING');
        expect(error.details.statusDetails).toEqual([
          { name: 'SUPPORTED_CONTENT', value: CONTENT_BINDING_STIX_12 },
          { name: 'SUPPORTED_CONTENT', value: CONTENT_BINDING_STIX_111 },
        ]);
      }
    });

    test('a Query is refused with UNSUPPORTED_QUERY and an empty SUPPORTED_QUERY list, never ignored (P-08)', async () => {
      const error = await failure(polls.poll(who.carol, full(ACME, {}, { query: true })));
      expect(error.code).toBe('UNSUPPORTED_QUERY');
      expect(error.details.statusDetails).toEqual([]);
    });

    test("a poll by subscription uses the subscription's parameters and echoes its id (P-02, P-11)", async () => {
      const { before } = await fresh(COLLECTIONS.acme.id, indicator(EAST, 'green'), indicator(EAST, 'green'));
      const poll = (subscription: PollInput['subscription'], caller: Principal = who.carol) =>
        polls.poll(caller, full(ACME, { exclusiveBegin: before }, { responseType: 'FULL', contentBindings: [{ bindingId: 'urn:unsupported', subtypes: [] }], subscription }));
      const counted = await poll({ id: 'sub-1', responseType: 'COUNT_ONLY', contentBindings: [] });
      expect(counted).toMatchObject({ subscriptionId: 'sub-1', recordCount: { count: 2 }, blocks: [] });
      const delivered = await poll({ id: 'sub-2', responseType: 'FULL', contentBindings: [{ bindingId: CONTENT_BINDING_STIX_111, subtypes: [] }] });
      expect(delivered.subscriptionId).toBe('sub-2');
      expect(delivered.blocks.map((b) => b.bindingId)).toEqual([CONTENT_BINDING_STIX_111, CONTENT_BINDING_STIX_111]);
    });
  });
});
