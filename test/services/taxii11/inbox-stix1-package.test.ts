import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import { markingRefFor } from '../../../src/domain/tlp';
import { parseXml } from '../../../src/http/taxii11/xml/safe-xml-parser';
import { MESSAGES } from '../../../src/services/object-ingest-service';
import type { InboxBlock } from '../../../src/services/taxii11/inbox-service';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { principal as who } from '../../support/principals';
import { testEngines } from '../../support/test-databases';
import { openInboxTestHub, refusal, type InboxTestHub } from './inbox-test-hub';

/** The Inbox with the real STIX 1.x bridge: STIX 1.2 and 1.1.1 packages as XML, parsed by the hub's safe parser. */

const bob = who('bob', 'acme-east', ['provider', 'consumer']);

const NAMESPACES =
  'xmlns:stix="http://stix.mitre.org/stix-1" xmlns:indicator="http://stix.mitre.org/Indicator-2" xmlns:stixCommon="http://stix.mitre.org/common-1" ' +
  'xmlns:marking="http://data-marking.mitre.org/Marking-1" xmlns:tlpMarking="http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1" ' +
  'xmlns:cybox="http://cybox.mitre.org/cybox-2" xmlns:AddressObj="http://cybox.mitre.org/objects#AddressObject-2" ' +
  'xmlns:DomainNameObj="http://cybox.mitre.org/objects#DomainNameObject-1" xmlns:EmailMessageObj="http://cybox.mitre.org/objects#EmailMessageObject-2" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:example="http://example.com"';

const tlp = (color: string) =>
  `<stix:STIX_Header><stix:Handling><marking:Marking><marking:Controlled_Structure>//node() | //@*</marking:Controlled_Structure>` +
  `<marking:Marking_Structure xsi:type="tlpMarking:TLPMarkingStructureType" color="${color}"/></marking:Marking></stix:Handling></stix:STIX_Header>`;

const ipIndicator = (id: string, timestamp: string, ip: string) =>
  `<stix:Indicator xsi:type="indicator:IndicatorType" id="${id}" timestamp="${timestamp}"><indicator:Title>C2 address</indicator:Title>` +
  `<indicator:Observable id="${id}-observable"><cybox:Object><cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr">` +
  `<AddressObj:Address_Value condition="Equals">${ip}</AddressObj:Address_Value></cybox:Properties></cybox:Object></indicator:Observable></stix:Indicator>`;

const domainIndicator = (id: string, timestamp: string, domain: string) =>
  `<stix:Indicator xsi:type="indicator:IndicatorType" id="${id}" timestamp="${timestamp}"><indicator:Title>C2 domain</indicator:Title>` +
  `<indicator:Observable><cybox:Object><cybox:Properties xsi:type="DomainNameObj:DomainNameObjectType" type="FQDN">` +
  `<DomainNameObj:Value condition="Equals">${domain}</DomainNameObj:Value></cybox:Properties></cybox:Object></indicator:Observable></stix:Indicator>`;

const subjectContains = (id: string) =>
  `<stix:Indicator xsi:type="indicator:IndicatorType" id="${id}" timestamp="2026-03-01T10:00:00Z"><indicator:Observable><cybox:Object>` +
  `<cybox:Properties xsi:type="EmailMessageObj:EmailMessageObjectType"><EmailMessageObj:Header><EmailMessageObj:Subject condition="Contains">Invoice</EmailMessageObj:Subject>` +
  `</EmailMessageObj:Header></cybox:Properties></cybox:Object></indicator:Observable></stix:Indicator>`;

function stixBlock(body: string, version = '1.2'): InboxBlock {
  const parsed = parseXml(`<stix:STIX_Package ${NAMESPACES} id="example:Package-1" version="${version}">${body}</stix:STIX_Package>`);
  if (!parsed.ok) throw new Error(parsed.message);
  return { bindingId: version === '1.2' ? 'urn:stix.mitre.org:xml:1.2' : 'urn:stix.mitre.org:xml:1.1.1', content: { kind: 'xml', root: parsed.root } };
}

describe.each(testEngines())('the TAXII 1.1 Inbox with STIX 1.x packages on %s', (engine) => {
  let hub: InboxTestHub;

  beforeAll(async () => {
    hub = await openInboxTestHub(engine);
  });
  afterAll(() => hub.close());

  const send = (...blocks: InboxBlock[]) => hub.inbox.receive(bob, { destinations: ['acme-internal'], blocks });
  async function stored(stix1Id: string) {
    const id = await hub.hubId(DEMO_COLLECTIONS.acmeInternal, 'acme-east', stix1Id);
    return id === undefined ? [] : hub.history(DEMO_COLLECTIONS.acmeInternal, id);
  }
  const count = async () => Number((await hub.db.query<{ n: string }>('SELECT count(*) AS n FROM stix_objects WHERE collection_id = $1', [DEMO_COLLECTIONS.acmeInternal])).rows[0]?.n);

  test('a STIX 1.2 package: its indicators stored under the package TLP, what does not map (TTP, incident) named', async () => {
    const outcome = await send(
      stixBlock(
        tlp('GREEN') +
          `<stix:Indicators>${ipIndicator('example:indicator-c2', '2026-03-01T10:00:00Z', '203.0.113.9')}${domainIndicator('example:indicator-dom', '2026-03-01T10:00:00Z', 'C2.Evil.Example')}</stix:Indicators>` +
          '<stix:TTPs><stix:TTP id="example:ttp-1"/></stix:TTPs><stix:Incidents><stix:Incident id="example:incident-1"/></stix:Incidents>',
      ),
    );
    expect(outcome).toMatchObject({ status: 'SUCCESS', indicators: 2, added: 2 });
    expect(outcome.unmapped.map((u) => [u.block, u.what, u.id])).toEqual([
      [1, 'TTP', 'example:ttp-1'],
      [1, 'Incident', 'example:incident-1'],
    ]);
    expect(outcome.message).toMatch(/^Stored 2 indicators in collection acme-internal: 2 added, 0 already present\. Not stored, as the hub does not map it to STIX 2\.1: block 1, TTP example:ttp-1: .*; block 1, Incident example:incident-1: /);
    const [ip] = await stored('example:indicator-c2');
    expect(ip).toMatchObject({ providerOrgId: 'acme-east' });
    expect(ip?.object).toMatchObject({
      type: 'indicator',
      spec_version: '2.1',
      name: 'C2 address',
      created: '2026-03-01T10:00:00.000000Z',
      modified: '2026-03-01T10:00:00.000000Z',
      pattern: "[ipv4-addr:value = '203.0.113.9']",
      object_marking_refs: [markingRefFor('green')],
      extensions: { [HUB_EXTENSION_ID]: { kind: 'c2-ip' } },
    });
    const [domain] = await stored('example:indicator-dom');
    expect(domain?.object.pattern).toBe("[domain-name:value = 'c2.evil.example']");
  });

  test('the same package with a later indicator timestamp: a new version of the same hub object', async () => {
    const body = (timestamp: string) => `<stix:Indicators>${ipIndicator('example:indicator-v', timestamp, '203.0.113.10')}</stix:Indicators>`;
    await send(stixBlock(body('2026-03-01T10:00:00Z')));
    expect(await send(stixBlock(body('2026-03-01T10:00:00Z')))).toMatchObject({ added: 0, alreadyPresent: 1 });
    expect(await send(stixBlock(body('2026-03-02T10:00:00Z')))).toMatchObject({ added: 1, alreadyPresent: 0 });
    const versions = await stored('example:indicator-v');
    expect(versions.map((v) => [v.object.created, v.object.modified])).toEqual([
      ['2026-03-01T10:00:00.000000Z', '2026-03-01T10:00:00.000000Z'],
      ['2026-03-01T10:00:00.000000Z', '2026-03-02T10:00:00.000000Z'],
    ]);
  });

  test('an indicator with a non-equality condition refuses the message: CONTENT_REFUSED naming it, and nothing stored', async () => {
    const before = await count();
    const error = await refusal(send(stixBlock(`<stix:Indicators>${ipIndicator('example:indicator-ok', '2026-03-01T10:00:00Z', '203.0.113.11')}${subjectContains('example:indicator-contains')}</stix:Indicators>`)));
    expect(error.code).toBe('CONTENT_REFUSED');
    expect(error.details.problems).toEqual([{ path: 'block 1, indicator example:indicator-contains', message: expect.stringContaining('condition="Contains"') }]);
    expect(await count()).toBe(before);
    expect(await stored('example:indicator-ok')).toEqual([]);
  });

  test('a TLP:RED package is refused with the hub\'s message: STIX 1.x cannot name its recipients', async () => {
    const error = await refusal(send(stixBlock(`${tlp('RED')}<stix:Indicators>${ipIndicator('example:indicator-red', '2026-03-01T10:00:00Z', '203.0.113.12')}</stix:Indicators>`)));
    expect(error.details.problems).toEqual([{ path: 'block 1, indicator example:indicator-red', message: MESSAGES.redWithoutRecipients }]);
  });

  test('a STIX 1.1.1 package, and several blocks in one message, stored together', async () => {
    const outcome = await send(
      stixBlock(`<stix:Indicators>${ipIndicator('example:indicator-111', '2026-03-01T10:00:00Z', '203.0.113.13')}</stix:Indicators>`, '1.1.1'),
      stixBlock(`<stix:Indicators>${ipIndicator('example:indicator-12', '2026-03-01T10:00:00Z', '203.0.113.14')}</stix:Indicators>`),
    );
    expect(outcome).toMatchObject({ indicators: 2, added: 2 });
    expect(await stored('example:indicator-111')).toHaveLength(1);
    expect(await stored('example:indicator-12')).toHaveLength(1);
  });

  test('content that is no STIX package: CONTENT_REFUSED naming the block', async () => {
    const parsed = parseXml('<taxii_11:Discovery_Request xmlns:taxii_11="http://taxii.mitre.org/messages/taxii_xml_binding-1.1" message_id="1"/>');
    if (!parsed.ok) throw new Error(parsed.message);
    const error = await refusal(send({ bindingId: 'urn:stix.mitre.org:xml:1.2', content: { kind: 'xml', root: parsed.root } }));
    expect(error.code).toBe('CONTENT_REFUSED');
    expect(error.details.problems?.[0]).toEqual({ path: 'block 1', message: expect.stringContaining('not a STIX 1.x STIX_Package') });
  });
});
