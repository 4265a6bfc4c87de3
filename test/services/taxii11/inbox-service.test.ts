import { markingRefFor } from '../../../src/domain/tlp';
import { attributeOf, type XmlElement } from '../../../src/domain/xml/xml-element';
import { createCollectionService } from '../../../src/services/collection-service';
import { createObjectIngestService, MESSAGES } from '../../../src/services/object-ingest-service';
import type { MappedIndicator, Stix1PackageReading, UnmappedContent } from '../../../src/services/taxii11/inbox-bridge';
import type { InboxBlock, InboxMessage } from '../../../src/services/taxii11/inbox-service';
import { SqlStatusStore } from '../../../src/storage/sql/sql-status-store';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { principal as who } from '../../support/principals';
import { testEngines } from '../../support/test-databases';
import { openInboxTestHub, refusal, validate, type InboxTestHub } from './inbox-test-hub';

/**
 * The Inbox over the demo config, with packages the test writes as the bridge would read them: a
 * package element's `id` names a reading registered here (the real bridge is tested in
 * inbox-stix1-package.test.ts).
 */

const STIX12 = 'urn:stix.mitre.org:xml:1.2';
const alice = who('alice', 'acme-hq', ['provider', 'consumer', 'org-admin']);
const bob = who('bob', 'acme-east', ['provider', 'consumer']);
const carol = who('carol', 'acme-west', ['consumer']);
const heidi = who('heidi', 'vandelay', ['provider', 'org-admin']);

let packageCount = 0;
const readings = new Map<string, Stix1PackageReading>();
const readPackage = (root: XmlElement): Stix1PackageReading => readings.get(attributeOf(root, 'id') ?? '') ?? { ok: false, reason: 'the content is not a STIX_Package' };

function packageElement(id: string): XmlElement {
  return { kind: 'element', name: 'stix:STIX_Package', local: 'STIX_Package', uri: 'http://stix.mitre.org/stix-1', attributes: [{ name: 'id', local: 'id', uri: '', value: id }], namespaces: {}, children: [] };
}

/** A content block holding a package the bridge reads as these indicators and unmapped content. */
function block(indicators: readonly ({ stix1Id: string } & ({ indicator: MappedIndicator } | { reason: string }))[], unmapped: readonly UnmappedContent[] = []): InboxBlock {
  const id = `example:Package-${++packageCount}`;
  readings.set(id, {
    ok: true,
    indicators: indicators.map((i) => ('indicator' in i ? { stix1Id: i.stix1Id, ok: true, indicator: i.indicator } : { stix1Id: i.stix1Id, ok: false, reason: i.reason })),
    unmapped,
  });
  return { bindingId: STIX12, content: { kind: 'xml', root: packageElement(id) } };
}

function mapped(n: number, overrides: Record<string, unknown> = {}): MappedIndicator {
  return {
    type: 'indicator',
    spec_version: '2.1',
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: `bad address ${n}`,
    pattern: `[ipv4-addr:value = '198.51.100.${n}']`,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: '2026-01-01T00:00:00Z',
    indicator_types: ['malicious-activity'],
    ...overrides,
  } as MappedIndicator;
}

let uniqueId = 0;
const stix1 = () => `example:Indicator-${++uniqueId}`;

describe.each(testEngines())('the TAXII 1.1 Inbox service on %s', (engine) => {
  let hub: InboxTestHub;
  const clock = { now: Date.parse('2026-12-06T12:00:00.000Z') };

  beforeAll(async () => {
    hub = await openInboxTestHub(engine, { readPackage, now: () => clock.now });
  });
  afterAll(() => hub.close());

  const send = (sender: typeof bob, destinations: string[], ...blocks: InboxBlock[]) => hub.inbox.receive(sender, { destinations, blocks } satisfies InboxMessage);
  const hubId = (collectionId: string, provider: string, stix1Id: string) => hub.hubId(collectionId, provider, stix1Id);
  const history = (collectionId: string, id: string) => hub.history(collectionId, id);
  /** The provider (bob) revokes a stored object over TAXII 2.1. */
  async function revokeOverTaxii21(collection: string, object: Readonly<Record<string, unknown>> | undefined) {
    const { store, policy, objects, db } = hub;
    const taxii21 = createObjectIngestService({ collections: createCollectionService({ store, policy }), policy, apiRoots: store.apiRoots, objects, statuses: new SqlStatusStore(db), validate, now: () => clock.now });
    return taxii21.add(await taxii21.openWrite(bob, 'demo', collection), [{ ...object, modified: '2026-01-15T00:00:00.000Z', revoked: true }]);
  }
  /** Every row of the collection that a refused message could have touched: objects and keys. */
  async function footprint(collectionId: string): Promise<{ objects: number; keys: number }> {
    const o = await hub.db.query<{ n: string }>('SELECT count(*) AS n FROM stix_objects WHERE collection_id = $1', [collectionId]);
    const k = await hub.db.query<{ n: string }>('SELECT count(*) AS n FROM hub_object_keys WHERE scope = $1', [collectionId]);
    return { objects: Number(o.rows[0]?.n), keys: Number(k.rows[0]?.n) };
  }

  describe('storing', () => {
    test('SUCCESS stores every indicator as a STIX 2.1 object of the provider, with its marking, named by the hub', async () => {
      const [a, b] = [stix1(), stix1()];
      const outcome = await send(bob, ['acme-internal'], block([{ stix1Id: a, indicator: mapped(1, { object_marking_refs: [markingRefFor('green')] }) }, { stix1Id: b, indicator: mapped(2) }]));

      expect(outcome).toMatchObject({ status: 'SUCCESS', indicators: 2, added: 2, alreadyPresent: 0, unmapped: [], collections: [{ name: 'acme-internal', id: DEMO_COLLECTIONS.acmeInternal }] });
      expect(outcome.message).toBe('Stored 2 indicators in collection acme-internal: 2 added, 0 already present.');
      const idA = (await hubId(DEMO_COLLECTIONS.acmeInternal, 'acme-east', a)) as string;
      const idB = (await hubId(DEMO_COLLECTIONS.acmeInternal, 'acme-east', b)) as string;
      expect(idA).toMatch(/^indicator--[0-9a-f-]{36}$/);
      const [storedA] = await history(DEMO_COLLECTIONS.acmeInternal, idA);
      const [storedB] = await history(DEMO_COLLECTIONS.acmeInternal, idB);
      expect(storedA).toMatchObject({ providerOrgId: 'acme-east', writtenBy: 'bob' });
      expect(storedA?.object).toMatchObject({ type: 'indicator', spec_version: '2.1', id: idA, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', pattern: "[ipv4-addr:value = '198.51.100.1']", object_marking_refs: [markingRefFor('green')] });
      // Unmarked in 1.x: stored with the collection's default marking written in, as TAXII 2.1 does.
      expect(storedB?.object.object_marking_refs).toEqual([markingRefFor('amber')]);
      // The creator is the provider's identity for the indicator's audience, stored next to it.
      const creatorA = storedA?.object.created_by_ref as string;
      const [identity] = await history(DEMO_COLLECTIONS.acmeInternal, creatorA);
      expect(identity?.object).toMatchObject({ type: 'identity', name: 'ACME East', identity_class: 'organization', object_marking_refs: [markingRefFor('green')] });
      const marks = await hub.db.query<{ id: string; tlp: string }>('SELECT id, tlp FROM stix_objects WHERE collection_id = $1 AND id = ANY($2::text[]) ORDER BY id', [DEMO_COLLECTIONS.acmeInternal, [idA, idB]]);
      expect(Object.fromEntries(marks.rows.map((r) => [r.id, r.tlp]))).toEqual({ [idA]: 'green', [idB]: 'amber' });
    });

    test('the same package again is already present: a success, and no new version', async () => {
      const a = stix1();
      const message = () => block([{ stix1Id: a, indicator: mapped(3) }]);
      await send(bob, ['acme-internal'], message());
      const before = await footprint(DEMO_COLLECTIONS.acmeInternal);
      const again = await send(bob, ['acme-internal'], message());
      expect(again).toMatchObject({ added: 0, alreadyPresent: 1 });
      expect(again.message).toBe('Stored 1 indicator in collection acme-internal: 0 added, 1 already present.');
      expect(await footprint(DEMO_COLLECTIONS.acmeInternal)).toEqual(before);
    });

    test('a later timestamp of the same 1.x indicator is a new version of the same hub object, keeping its created', async () => {
      const a = stix1();
      await send(bob, ['acme-internal'], block([{ stix1Id: a, indicator: mapped(4) }]));
      const later = await send(bob, ['acme-internal'], block([{ stix1Id: a, indicator: mapped(4, { created: '2026-02-01T00:00:00.000Z', modified: '2026-02-01T00:00:00.000Z', name: 'renamed' }) }]));
      expect(later).toMatchObject({ added: 1, alreadyPresent: 0 });
      const id = (await hubId(DEMO_COLLECTIONS.acmeInternal, 'acme-east', a)) as string;
      const versions = await history(DEMO_COLLECTIONS.acmeInternal, id);
      expect(versions.map((v) => [v.object.created, v.object.modified, v.object.name])).toEqual([
        ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'bad address 4'],
        ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', 'renamed'],
      ]);
    });

    test('the same 1.x id from another provider is another hub object', async () => {
      const a = stix1();
      await send(bob, ['acme-internal'], block([{ stix1Id: a, indicator: mapped(5) }]));
      await send(alice, ['acme-internal'], block([{ stix1Id: a, indicator: mapped(5) }]));
      const ofBob = await hubId(DEMO_COLLECTIONS.acmeInternal, 'acme-east', a);
      const ofAlice = await hubId(DEMO_COLLECTIONS.acmeInternal, 'acme-hq', a);
      expect(ofBob).toBeDefined();
      expect(ofAlice).toBeDefined();
      expect(ofAlice).not.toBe(ofBob);
    });

    test('a 1.x indicator without timestamp is stamped now; the same content again is already present, changed content a new version', async () => {
      const a = stix1();
      const undated = (name: string) => block([{ stix1Id: a, indicator: mapped(6, { created: undefined, modified: undefined, name }) }]);
      expect(await send(bob, ['acme-internal'], undated('first'))).toMatchObject({ added: 1 });
      clock.now += 60_000;
      expect(await send(bob, ['acme-internal'], undated('first'))).toMatchObject({ added: 0, alreadyPresent: 1 });
      expect(await send(bob, ['acme-internal'], undated('second'))).toMatchObject({ added: 1 });
      const id = (await hubId(DEMO_COLLECTIONS.acmeInternal, 'acme-east', a)) as string;
      const versions = await history(DEMO_COLLECTIONS.acmeInternal, id);
      expect(versions.map((v) => [v.object.created, v.object.modified, v.object.name])).toEqual([
        ['2026-12-06T12:00:00.000Z', '2026-12-06T12:00:00.000Z', 'first'],
        ['2026-12-06T12:00:00.000Z', new Date(clock.now).toISOString(), 'second'],
      ]);
    });

    test('where attribution is hidden the hub is the creator, and no provider identity is written', async () => {
      // vandelay writes only to isac-feed (finance-isac hides attribution): no destination needed.
      const a = stix1();
      const outcome = await send(heidi, [], block([{ stix1Id: a, indicator: mapped(7) }]));
      expect(outcome.collections).toEqual([{ name: 'isac-feed', id: DEMO_COLLECTIONS.isacFeed }]);
      const id = (await hubId(DEMO_COLLECTIONS.isacFeed, 'vandelay', a)) as string;
      const [stored] = await history(DEMO_COLLECTIONS.isacFeed, id);
      const hubIdentityId = await hub.objects.hubIdentityId(() => 'identity--never-made');
      expect(stored?.object.created_by_ref).toBe(hubIdentityId);
      const identities = await hub.db.query('SELECT id FROM stix_objects WHERE collection_id = $1 AND provider_org_id = $2 AND type = $3', [DEMO_COLLECTIONS.isacFeed, 'vandelay', 'identity']);
      // Only the hub's identity (a shared definition), never vandelay's own.
      expect(identities.rows).toEqual([{ id: hubIdentityId }]);
    });

    test('the hub writes its definitions as TAXII 2.1 does: its identity, its extension definition and the TLP marking-definitions used', async () => {
      const a = stix1();
      await send(alice, ['alliance-exchange'], block([{ stix1Id: a, indicator: mapped(8, { object_marking_refs: [markingRefFor('clear')] }) }]));
      const { rows } = await hub.db.query<{ type: string; id: string }>("SELECT DISTINCT type, id FROM stix_objects WHERE collection_id = $1 AND type IN ('marking-definition', 'extension-definition')", [DEMO_COLLECTIONS.allianceExchange]);
      expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining([markingRefFor('clear')]));
      expect(rows.some((r) => r.type === 'extension-definition')).toBe(true);
    });

    test('several destinations are written atomically: every indicator in every collection, each with its own hub id', async () => {
      const a = stix1();
      const outcome = await send(bob, ['acme-internal', 'alliance-exchange'], block([{ stix1Id: a, indicator: mapped(9) }]));
      expect(outcome).toMatchObject({ indicators: 1, added: 2 });
      expect(outcome.message).toBe('Stored 1 indicator in each of the collections acme-internal, alliance-exchange: 2 added, 0 already present.');
      const inInternal = await hubId(DEMO_COLLECTIONS.acmeInternal, 'acme-east', a);
      const inAlliance = await hubId(DEMO_COLLECTIONS.allianceExchange, 'acme-east', a);
      expect(await history(DEMO_COLLECTIONS.acmeInternal, inInternal as string)).toHaveLength(1);
      expect(await history(DEMO_COLLECTIONS.allianceExchange, inAlliance as string)).toHaveLength(1);
    });
  });

  test('two messages to the same two collections, named in opposite orders, both succeed (clocks locked in one order: no deadlock)', async () => {
    const [a, b] = [stix1(), stix1()];
    const outcomes = await Promise.all([
      send(bob, ['acme-internal', 'alliance-exchange'], block([{ stix1Id: a, indicator: mapped(18) }])),
      send(bob, ['alliance-exchange', 'acme-internal'], block([{ stix1Id: b, indicator: mapped(19) }])),
    ]);
    expect(outcomes.map((o) => o.added)).toEqual([2, 2]);
  });

  describe('all or nothing', () => {
    test('one refused indicator among good ones: CONTENT_REFUSED naming each refused one and why, and nothing at all stored (keys included)', async () => {
      const [good1, bad, untranslatable, good2] = [stix1(), stix1(), stix1(), stix1()];
      const before = await footprint(DEMO_COLLECTIONS.acmeInternal);
      const error = await refusal(
        send(
          bob,
          ['acme-internal'],
          block([{ stix1Id: good1, indicator: mapped(10) }, { stix1Id: bad, indicator: mapped(11, { pattern: "[ipv4-addr:value = '198.51.100.11'" }) }]),
          block([{ stix1Id: untranslatable, reason: 'the observable uses the condition "FitsPattern", which has no STIX 2.1 equivalent' }, { stix1Id: good2, indicator: mapped(12) }]),
        ),
      );
      expect(error.code).toBe('CONTENT_REFUSED');
      expect(error.details.problems).toEqual([
        { path: `block 2, indicator ${untranslatable}`, message: 'the observable uses the condition "FitsPattern", which has no STIX 2.1 equivalent' },
        { path: `block 1, indicator ${bad}`, message: expect.stringMatching(/^pattern: is not a valid STIX pattern/) },
      ]);
      expect(error.message).toMatch(/^Nothing of this message was stored: 2 indicators of 4 refused, and a message is stored whole or not at all\. block 2, indicator example:Indicator-\d+: the observable/);
      expect(await footprint(DEMO_COLLECTIONS.acmeInternal)).toEqual(before);
      expect(await hubId(DEMO_COLLECTIONS.acmeInternal, 'acme-east', good1)).toBeUndefined();
    });

    test('TLP:RED is refused: a 1.x indicator cannot name the recipients the hub needs', async () => {
      const before = await footprint(DEMO_COLLECTIONS.acmeInternal);
      const red = stix1();
      const error = await refusal(send(bob, ['acme-internal'], block([{ stix1Id: red, indicator: mapped(13, { object_marking_refs: [markingRefFor('red')] }) }])));
      expect(error.code).toBe('CONTENT_REFUSED');
      expect(error.details.problems).toEqual([{ path: `block 1, indicator ${red}`, message: MESSAGES.redWithoutRecipients }]);
      expect(await footprint(DEMO_COLLECTIONS.acmeInternal)).toEqual(before);
    });

    test('revocation is final: a revoked object gets no new version through the Inbox', async () => {
      const a = stix1();
      await send(bob, ['acme-internal'], block([{ stix1Id: a, indicator: mapped(14) }]));
      const id = (await hubId(DEMO_COLLECTIONS.acmeInternal, 'acme-east', a)) as string;
      const [stored] = await history(DEMO_COLLECTIONS.acmeInternal, id);
      // The provider revokes it over TAXII 2.1.
      const status = await revokeOverTaxii21('acme-internal', stored?.object);
      expect(status.failures).toEqual([]);

      const before = await footprint(DEMO_COLLECTIONS.acmeInternal);
      const error = await refusal(send(bob, ['acme-internal'], block([{ stix1Id: a, indicator: mapped(14, { modified: '2026-02-01T00:00:00.000Z' }) }])));
      expect(error.details.problems).toEqual([{ path: `block 1, indicator ${a} in collection acme-internal`, message: MESSAGES.revoked }]);
      expect(await footprint(DEMO_COLLECTIONS.acmeInternal)).toEqual(before);
    });

    test('the sharing guard of TAXII 2.1 applies: a later 1.x version may not narrow who may read the indicator', async () => {
      const a = stix1();
      await send(bob, ['acme-internal'], block([{ stix1Id: a, indicator: mapped(42, { object_marking_refs: [markingRefFor('green')] }) }]));
      const error = await refusal(send(bob, ['acme-internal'], block([{ stix1Id: a, indicator: mapped(42, { modified: '2026-02-01T00:00:00.000Z', object_marking_refs: [markingRefFor('amber+strict')] }) }])));
      expect(error.details.problems).toEqual([{ path: `block 1, indicator ${a} in collection acme-internal`, message: expect.stringMatching(/^this version would narrow who may read the object/) }]);
    });

    test('a version conflicting with a stored one (same timestamp, other content) is refused', async () => {
      const a = stix1();
      await send(bob, ['acme-internal'], block([{ stix1Id: a, indicator: mapped(15) }]));
      const error = await refusal(send(bob, ['acme-internal'], block([{ stix1Id: a, indicator: mapped(15, { name: 'other content, same timestamp' }) }])));
      expect(error.details.problems).toEqual([{ path: `block 1, indicator ${a} in collection acme-internal`, message: MESSAGES.conflictingVersion }]);
    });

    test('several destinations: a refusal in one collection stores nothing in the other either', async () => {
      const a = stix1();
      // Only in alliance-exchange, then revoked there.
      await send(bob, ['alliance-exchange'], block([{ stix1Id: a, indicator: mapped(16) }]));
      const id = (await hubId(DEMO_COLLECTIONS.allianceExchange, 'acme-east', a)) as string;
      const [stored] = await history(DEMO_COLLECTIONS.allianceExchange, id);
      await revokeOverTaxii21('alliance-exchange', stored?.object);

      const before = await footprint(DEMO_COLLECTIONS.acmeInternal);
      const fresh = stix1();
      const error = await refusal(send(bob, ['acme-internal', 'alliance-exchange'], block([{ stix1Id: fresh, indicator: mapped(17) }, { stix1Id: a, indicator: mapped(16, { modified: '2026-02-01T00:00:00.000Z' }) }])));
      expect(error.details.problems).toEqual([{ path: `block 1, indicator ${a} in collection alliance-exchange`, message: MESSAGES.revoked }]);
      expect(await footprint(DEMO_COLLECTIONS.acmeInternal)).toEqual(before);
      expect(await hubId(DEMO_COLLECTIONS.acmeInternal, 'acme-east', fresh)).toBeUndefined();
    });

    test('one 1.x indicator twice in a message: identical is stored once; other content under the same timestamp is refused', async () => {
      const [same, clash] = [stix1(), stix1()];
      const twice = await send(bob, ['acme-internal'], block([{ stix1Id: same, indicator: mapped(40) }]), block([{ stix1Id: same, indicator: mapped(40) }]));
      expect(twice).toMatchObject({ indicators: 2, added: 1, alreadyPresent: 1 });
      expect(await history(DEMO_COLLECTIONS.acmeInternal, (await hubId(DEMO_COLLECTIONS.acmeInternal, 'acme-east', same)) as string)).toHaveLength(1);
      const error = await refusal(send(bob, ['acme-internal'], block([{ stix1Id: clash, indicator: mapped(41) }, { stix1Id: clash, indicator: mapped(41, { name: 'other' }) }])));
      expect(error.details.problems).toEqual([{ path: `block 1, indicator ${clash} in collection acme-internal`, message: MESSAGES.conflictingVersion }]);
      expect(await hubId(DEMO_COLLECTIONS.acmeInternal, 'acme-east', clash)).toBeUndefined();
    });

    test('a status text names the first 50 refused indicators, then how many more', async () => {
      const many = Array.from({ length: 60 }, () => ({ stix1Id: stix1(), reason: 'not mapped' }));
      const error = await refusal(send(bob, ['acme-internal'], block(many)));
      expect(error.details.problems).toHaveLength(60);
      expect(error.message).toMatch(/; … and 10 more$/);
      expect(error.message.split('; ')).toHaveLength(51);
    });
  });

  describe('destinations', () => {
    test('none given and the caller may write one collection: that one', async () => {
      const outcome = await send(heidi, [], block([{ stix1Id: stix1(), indicator: mapped(20) }]));
      expect(outcome.collections.map((c) => c.name)).toEqual(['isac-feed']);
    });

    test('none given and the caller may write several: DESTINATION_COLLECTION_ERROR listing them', async () => {
      const error = await refusal(send(bob, [], block([{ stix1Id: stix1(), indicator: mapped(21) }])));
      expect(error.code).toBe('DESTINATION_COLLECTION_ERROR');
      expect(error.details.statusDetails).toEqual([
        { name: 'ACCEPTABLE_DESTINATION', value: 'acme-internal' },
        { name: 'ACCEPTABLE_DESTINATION', value: 'alliance-exchange' },
      ]);
    });

    test('an unknown collection and another tenant\'s get the same NOT_FOUND, naming the item', async () => {
      const unknown = await refusal(send(bob, ['no-such-collection'], block([{ stix1Id: stix1(), indicator: mapped(22) }])));
      const foreign = await refusal(send(bob, ['initech-feed'], block([{ stix1Id: stix1(), indicator: mapped(22) }])));
      expect([unknown.code, foreign.code]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
      expect(unknown.details.statusDetails).toEqual([{ name: 'ITEM', value: 'no-such-collection' }]);
      expect(foreign.details.statusDetails).toEqual([{ name: 'ITEM', value: 'initech-feed' }]);
      expect(foreign.message).toBe('There is no collection initech-feed');
    });

    test('a collection the caller may read but not write: FORBIDDEN', async () => {
      expect((await refusal(send(alice, ['initech-feed'], block([{ stix1Id: stix1(), indicator: mapped(23) }])))).code).toBe('FORBIDDEN');
      expect((await refusal(send(carol, ['acme-internal'], block([{ stix1Id: stix1(), indicator: mapped(23) }])))).code).toBe('FORBIDDEN');
    });

    test('without credentials: AUTHENTICATION_REQUIRED', async () => {
      expect((await refusal(hub.inbox.receive(undefined, { destinations: [], blocks: [] }))).code).toBe('AUTHENTICATION_REQUIRED');
    });
  });

  describe('content', () => {
    test('no STIX 1.x block: UNSUPPORTED_CONTENT_BINDING naming the supported bindings', async () => {
      const error = await refusal(send(bob, ['acme-internal'], { bindingId: 'urn:stix.mitre.org:json:2.1', content: { kind: 'unparsable', problem: 'not XML' } }));
      expect(error.code).toBe('UNSUPPORTED_CONTENT_BINDING');
      expect(error.details.statusDetails).toEqual([
        { name: 'SUPPORTED_CONTENT', value: 'urn:stix.mitre.org:xml:1.2' },
        { name: 'SUPPORTED_CONTENT', value: 'urn:stix.mitre.org:xml:1.1.1' },
      ]);
    });

    test('a STIX 1.x block next to one in another binding: the whole message is refused, naming the block', async () => {
      const before = await footprint(DEMO_COLLECTIONS.acmeInternal);
      const error = await refusal(send(bob, ['acme-internal'], block([{ stix1Id: stix1(), indicator: mapped(30) }]), { bindingId: 'urn:x-acme:csv', content: { kind: 'unparsable', problem: 'not XML' } }));
      expect(error.code).toBe('UNSUPPORTED_CONTENT_BINDING');
      expect(error.message).toBe('Nothing of this message was stored: some content blocks are not STIX 1.x: block 2 (urn:x-acme:csv)');
      expect(await footprint(DEMO_COLLECTIONS.acmeInternal)).toEqual(before);
    });

    test('an unparsable block, or one that is not a STIX package: CONTENT_REFUSED naming the block and the reason', async () => {
      const before = await footprint(DEMO_COLLECTIONS.acmeInternal);
      const error = await refusal(
        send(bob, ['acme-internal'], block([{ stix1Id: stix1(), indicator: mapped(31) }]), { bindingId: STIX12, content: { kind: 'unparsable', problem: 'the XML is not well-formed: unclosed tag' } }, { bindingId: STIX12, content: { kind: 'xml', root: packageElement('not-registered') } }),
      );
      expect(error.code).toBe('CONTENT_REFUSED');
      expect(error.details.problems).toEqual([
        { path: 'block 2', message: 'the XML is not well-formed: unclosed tag' },
        { path: 'block 3', message: 'the content is not a STIX_Package' },
      ]);
      expect(await footprint(DEMO_COLLECTIONS.acmeInternal)).toEqual(before);
    });

    test('what does not map is named in the SUCCESS message and not stored; the indicators are', async () => {
      const a = stix1();
      const outcome = await send(
        bob,
        ['acme-internal'],
        block([{ stix1Id: a, indicator: mapped(32) }], [
          { what: 'TTP', id: 'example:ttp-1', reason: 'TTPs are not mapped' },
          { what: 'Incident', id: 'example:incident-1', reason: 'incidents are not mapped' },
        ]),
      );
      expect(outcome.added).toBe(1);
      expect(outcome.unmapped).toEqual([
        { block: 1, what: 'TTP', id: 'example:ttp-1', reason: 'TTPs are not mapped' },
        { block: 1, what: 'Incident', id: 'example:incident-1', reason: 'incidents are not mapped' },
      ]);
      expect(outcome.message).toBe(
        'Stored 1 indicator in collection acme-internal: 1 added, 0 already present. Not stored, as the hub does not map it to STIX 2.1: ' +
          'block 1, TTP example:ttp-1: TTPs are not mapped; block 1, Incident example:incident-1: incidents are not mapped',
      );
    });

    test('a message with nothing but content that does not map: CONTENT_REFUSED, nothing to store', async () => {
      const error = await refusal(send(bob, ['acme-internal'], block([], [{ what: 'Exploit_Target', id: 'example:et-1', reason: 'exploit targets are not mapped' }])));
      expect(error.code).toBe('CONTENT_REFUSED');
      expect(error.message).toBe('Nothing to store: the message holds no STIX 1.x indicator, and the hub does not map what it holds. block 1, Exploit_Target example:et-1: exploit targets are not mapped');
    });

    test('an empty package stores nothing and succeeds', async () => {
      const outcome = await send(bob, ['acme-internal'], block([]));
      expect(outcome).toMatchObject({ indicators: 0, added: 0, message: 'The message holds no indicator: nothing was stored.' });
    });
  });
});
