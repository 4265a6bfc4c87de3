import { CONTENT_BINDING_STIX_111, CONTENT_BINDING_STIX_12 } from '../../../src/domain/taxii11/taxii-identifiers';
import { testEngines } from '../../support/test-databases';
import { COLLECTIONS, failure, indicator, openPollTestHub, who, type PollTestHub } from './poll-test-hub';

/** TAXII 1.1 Collection Information per caller (checklist a.5 C-02..C-04, a.13 MT-01) and the collection gate. */

describe.each(testEngines())('TAXII 1.1 collections on %s', (engine) => {
  let hub: PollTestHub;
  let clock = Date.now();

  beforeAll(async () => {
    hub = await openPollTestHub(engine, { now: () => clock });
    // acme-east shares one GREEN and two AMBER indicators; only acme-hq (its parent) reads the AMBER ones.
    await hub.write(COLLECTIONS.acme.id, [indicator('acme-east', 'green'), indicator('acme-east', 'amber'), indicator('acme-east', 'amber')]);
  });
  afterAll(() => hub.close());

  test('every collection the caller sees, named by alias, with its description, and no other tenant\'s collection (C-02, C-03, MT-01)', async () => {
    const carol = await hub.collections.list(who.carol); // acme-west sees acme-internal only
    expect(carol).toEqual([
      {
        name: 'acme-internal',
        collection: expect.objectContaining({ id: COLLECTIONS.acme.id }),
        type: 'DATA_FEED',
        canRead: true,
        canWrite: false, // a consumer only
        available: true,
        description: 'ACME internal: Indicators shared inside the ACME group (head office and branches).',
        volume: 1,
        contentBindings: [CONTENT_BINDING_STIX_12, CONTENT_BINDING_STIX_111],
      },
    ]);
    expect((await hub.collections.list(who.alice)).map((c) => c.name)).toEqual(['acme-internal', 'alliance-exchange', 'initech-feed', 'isac-feed']);
  });

  test('can_read and can_write are per caller (C-02)', async () => {
    const grace = await hub.collections.list(who.grace); // a vandelay consumer: reads both, writes neither
    expect(grace.map((c) => [c.name, c.canRead, c.canWrite, c.available])).toEqual([
      ['initech-feed', true, false, true],
      ['isac-feed', true, false, true],
    ]);
    const frank = await hub.collections.list(who.frank); // initech, provider and consumer: writes its own feed and the ISAC's
    expect(frank.map((c) => [c.name, c.canRead, c.canWrite])).toEqual([
      ['initech-feed', true, true],
      ['isac-feed', true, true],
    ]);
    const heidi = await hub.collections.list(who.heidi); // vandelay provider without the consumer role
    expect(heidi.map((c) => [c.name, c.canRead, c.canWrite, c.volume])).toEqual([
      ['initech-feed', false, false, 0],
      ['isac-feed', false, true, 0],
    ]);
  });

  test('the volume counts readable indicator records of the last 24 hours, never one the caller may not read', async () => {
    const volume = async (caller: typeof who.alice) => (await hub.collections.list(caller)).find((c) => c.name === 'acme-internal')?.volume;
    expect(await volume(who.carol)).toBe(1); // the sibling reads the GREEN one only
    expect(await volume(who.alice)).toBe(3);
    clock += 25 * 60 * 60 * 1000; // a day later, none of them is recent
    try {
      expect(await volume(who.alice)).toBe(0);
    } finally {
      clock -= 25 * 60 * 60 * 1000;
    }
  });

  test('resolve: an unknown or invisible collection is NOT_FOUND with the name as ITEM; a visible one the caller may not use is FORBIDDEN', async () => {
    for (const name of ['isac-feed', 'no-such-collection', COLLECTIONS.isac.id]) {
      const error = await failure(hub.collections.resolve(who.carol, name, 'read'));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.details.statusDetails).toEqual([{ name: 'ITEM', value: name }]);
    }
    expect((await failure(hub.collections.resolve(who.heidi, 'isac-feed', 'read'))).code).toBe('FORBIDDEN');
    expect((await failure(hub.collections.resolve(who.grace, 'initech-feed', 'write'))).code).toBe('FORBIDDEN');
    expect((await failure(hub.collections.resolve(undefined, 'acme-internal', 'read'))).code).toBe('AUTHENTICATION_REQUIRED');
    const read = await hub.collections.resolve(who.carol, 'acme-internal', 'read');
    expect(read).toMatchObject({ name: 'acme-internal', collection: { id: COLLECTIONS.acme.id }, scope: { kind: 'filtered', self: 'acme-west' } });
    expect((await hub.collections.resolve(who.heidi, 'isac-feed', 'write')).collection.id).toBe(COLLECTIONS.isac.id);
  });

  test('a collection without an alias is named by its id; aliases shared across API roots are told apart by root, only for a caller who sees both (C-04)', async () => {
    await hub.store.apiRoots.insert({ id: 'second', title: 'Second root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
    const base = { title: 'Copy', description: null, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' } as const;
    const unnamed = '11111111-2222-4333-8444-555555555555';
    // Same alias as the demo collection, in another root: one the ACME group sees, one only the alliance sees.
    await hub.store.collections.insert({ ...base, id: '21111111-2222-4333-8444-555555555555', apiRootId: 'second', alias: 'acme-internal', owner: { kind: 'trust-group', id: 'acme-tree' } });
    await hub.store.collections.insert({ ...base, id: unnamed, apiRootId: 'second', alias: null, owner: { kind: 'trust-group', id: 'acme-tree' } });
    await hub.store.apiRoots.insert({ id: 'third', title: 'Third root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
    await hub.store.collections.insert({ ...base, id: '31111111-2222-4333-8444-555555555555', apiRootId: 'third', alias: 'alliance-exchange', owner: { kind: 'organization', id: 'globex-lab' } });

    expect((await hub.collections.list(who.carol)).map((c) => c.name)).toEqual([unnamed, 'demo/acme-internal', 'second/acme-internal']);
    // acme-east is in the alliance: it sees both alliance-exchange collections; acme-west sees neither, so nothing of the third root shows for it.
    expect((await hub.collections.list(who.bob)).map((c) => c.name)).toEqual([unnamed, 'demo/acme-internal', 'demo/alliance-exchange', 'second/acme-internal', 'third/alliance-exchange']);
    expect((await hub.collections.resolve(who.carol, 'second/acme-internal', 'read')).collection.id).toBe('21111111-2222-4333-8444-555555555555');
    expect((await failure(hub.collections.resolve(who.carol, 'acme-internal', 'read'))).code).toBe('NOT_FOUND');
  });
});
