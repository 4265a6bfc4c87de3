import { testEngines } from '../../../support/test-databases';
import {
  NS,
  NS10,
  billionLaughs,
  block,
  discovery,
  escaped,
  expectStatus,
  inbox,
  poll,
  send,
  startConnectionCounter,
  startTaxii11HostileHub,
  stixPackage,
  storedRows,
  type ConnectionCounter,
  type ExpectedStatus,
  type Taxii11HostileHub,
} from './taxii11-hostile-hub';

/**
 * Group 2, TAXII-level hostile input: well-formed XML that is not the message it claims to be, or
 * a message whose fields are out of range. Each gets its exact Status_Message (the status type of the
 * error catalog, a message naming the element or attribute at fault, in_response_to the request's
 * message_id when it could be read), nothing is stored, and no push address is ever contacted.
 */

const ts = (begin: string, end?: string) =>
  `<taxii_11:Exclusive_Begin_Timestamp>${begin}</taxii_11:Exclusive_Begin_Timestamp>${end === undefined ? '' : `<taxii_11:Inclusive_End_Timestamp>${end}</taxii_11:Inclusive_End_Timestamp>`}<taxii_11:Poll_Parameters/>`;
const fulfillment = (id: string, part: string) => `<taxii_11:Poll_Fulfillment xmlns:taxii_11="${NS}" message_id="${id}" collection_name="acme-internal" result_id="r-1" result_part_number="${part}"/>`;
const root = (local: string, id: string, ns = NS, attributes = '') => `<t:${local} xmlns:t="${ns}" message_id="${id}"${attributes}/>`;
const observable = (i: number) =>
  `<cybox:Observable><cybox:Object><cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr"><AddressObj:Address_Value>10.${Math.floor(i / 250)}.${i % 250}.1</AddressObj:Address_Value></cybox:Properties></cybox:Object></cybox:Observable>`;
const withObservable = (ip: string, replacement: string) => stixPackage(ip).replace(/<indicator:Observable .*<\/indicator:Observable>/, replacement);
const OBSERVABLES_CYCLE = `<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:indicator="http://stix.mitre.org/Indicator-2" xmlns:cybox="http://cybox.mitre.org/cybox-2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:example="http://example.com/" version="1.2"><stix:Observables cybox_major_version="2" cybox_minor_version="1"><cybox:Observable id="example:o1" idref="example:o2"/><cybox:Observable id="example:o2" idref="example:o1"/></stix:Observables><stix:Indicators><stix:Indicator xsi:type="indicator:IndicatorType" id="example:indicator-cycle" timestamp="2026-12-01T10:00:00+00:00"><indicator:Observable idref="example:o1"/></stix:Indicator></stix:Indicators></stix:STIX_Package>`;
const VALID = (n: number) => block(stixPackage(`198.51.100.${n}`));
const REFUSED_WHOLE = 'Nothing of this message was stored: a content block is not a readable STIX 1.x package: block 2: ';

type Case = readonly [name: string, path: string, body: () => string, expected: ExpectedStatus, user?: 'carol'];

const bad = (message: RegExp, inResponseTo: string): ExpectedStatus => ({ type: 'BAD_MESSAGE', message, inResponseTo });

const CASES: readonly Case[] = [
  // Namespaces: dispatch is on the URI, never the prefix (X-01, MT-08).
  ['a message in another namespace', '/taxii1/discovery', () => root('Discovery_Request', 'ns-1', 'urn:example:taxii'), bad(/^expected a TAXII 1\.1 message \(an element in namespace http:\/\/taxii\.mitre\.org\/messages\/taxii_xml_binding-1\.1\), found 'Discovery_Request' in namespace urn:example:taxii$/, 'ns-1')],
  ['a message in no namespace', '/taxii1/discovery', () => '<Discovery_Request message_id="ns-2"/>', bad(/found 'Discovery_Request' in no namespace$/, 'ns-2')],
  ['the prefix taxii_11 bound to another URI, the TAXII one to an unused prefix', '/taxii1/discovery', () => `<taxii_11:Discovery_Request xmlns:taxii_11="urn:evil" xmlns:t="${NS}" message_id="ns-3"/>`, bad(/found 'Discovery_Request' in namespace urn:evil$/, 'ns-3')],
  ['the prefix taxii_11 bound to the TAXII 1.0 namespace (a 1.1 message id)', '/taxii1/discovery', () => root('Discovery_Request', 'ns-4', NS10), bad(/^Discovery_Request@message_id 'ns-4' is not a TAXII 1\.0 message id \(digits only\)$/, '0')],
  ['TAXII 1.0 namespace with a 1.1-only message', '/taxii1/collection-management', () => root('Collection_Information_Request', '41', NS10), bad(/^Collection_Information_Request is not a TAXII 1\.0 message \(expected one of Discovery_Request, Feed_Information_Request, /, '41')],
  ['TAXII 1.0 namespace with a 1.1-shaped poll (collection_name, no feed_name)', '/taxii1/poll', () => `<t:Poll_Request xmlns:t="${NS10}" message_id="42" collection_name="acme-internal"/>`, bad(/^Poll_Request has no feed_name attribute$/, '42')],
  ['TAXII 1.1 namespace with a 1.0-only message', '/taxii1/collection-management', () => root('Feed_Information_Request', 'ns-5'), bad(/^Feed_Information_Request is not a TAXII 1\.1 message \(expected one of /, 'ns-5')],
  ['TAXII 1.1 poll with a 1.0 feed_name', '/taxii1/poll', () => `<t:Poll_Request xmlns:t="${NS}" message_id="ns-6" feed_name="acme-internal"><t:Poll_Parameters/></t:Poll_Request>`, bad(/^Poll_Request has no collection_name attribute$/, 'ns-6')],
  ['Poll_Parameters in a namespace the default declaration moved', '/taxii1/poll', () => `<Poll_Request xmlns="${NS}" message_id="ns-7" collection_name="acme-internal"><Poll_Parameters xmlns="urn:other"/></Poll_Request>`, bad(/^Poll_Request has neither Subscription_ID nor Poll_Parameters \(exactly one is required\)$/, 'ns-7')],
  ['an unknown message in the TAXII namespace', '/taxii1/discovery', () => root('Shutdown_Request', 'ns-8'), bad(/^Shutdown_Request is not a TAXII 1\.1 message \(expected one of Discovery_Request, /, 'ns-8')],
  // Responses sent as requests, requests sent to the wrong service.
  ...(['Discovery_Response', 'Collection_Information_Response', 'Subscription_Management_Response', 'Poll_Response'] as const).map(
    (local): Case => [`a ${local} sent as a request`, '/taxii1/discovery', () => root(local, `resp-${local}`, NS, ' in_response_to="x"'), { type: 'UNSUPPORTED_MESSAGE', message: new RegExp(`^${local} is a response message; the hub does not accept it as a request$`), inResponseTo: `resp-${local}` }],
  ),
  ['a Status_Message sent to the inbox', '/taxii1/inbox', () => root('Status_Message', 'st-1', NS, ' in_response_to="x" status_type="SUCCESS"'), { type: 'UNSUPPORTED_MESSAGE', message: /^The INBOX service at \/taxii1\/inbox takes inbox requests, not status$/, inResponseTo: 'st-1' }],
  ['an Inbox_Message sent to the poll service', '/taxii1/poll', () => inbox('wrong-1', VALID(30)), { type: 'UNSUPPORTED_MESSAGE', message: /^The POLL service at \/taxii1\/poll takes poll, poll-fulfillment requests, not inbox$/, inResponseTo: 'wrong-1' }],
  // Required attributes.
  ['no message_id', '/taxii1/discovery', () => `<t:Discovery_Request xmlns:t="${NS}"/>`, bad(/^Discovery_Request has no message_id attribute$/, '0')],
  ['a blank message_id', '/taxii1/discovery', () => root('Discovery_Request', '   '), bad(/^Discovery_Request has no message_id attribute$/, '0')],
  ['message_id in another namespace', '/taxii1/discovery', () => `<t:Discovery_Request xmlns:t="${NS}" xmlns:x="urn:x" x:message_id="m"/>`, bad(/^Discovery_Request has no message_id attribute$/, '0')],
  ['a poll with no collection_name', '/taxii1/poll', () => `<t:Poll_Request xmlns:t="${NS}" message_id="cn-1"><t:Poll_Parameters/></t:Poll_Request>`, bad(/^Poll_Request has no collection_name attribute$/, 'cn-1')],
  ['a fulfillment with no collection_name', '/taxii1/poll', () => `<t:Poll_Fulfillment xmlns:t="${NS}" message_id="cn-2" result_id="r" result_part_number="1"/>`, bad(/^Poll_Fulfillment has no collection_name attribute$/, 'cn-2')],
  ['a subscription request with no collection_name', '/taxii1/collection-management', () => `<t:Subscription_Management_Request xmlns:t="${NS}" message_id="cn-3" action="STATUS"/>`, bad(/^Subscription_Management_Request has no collection_name attribute$/, 'cn-3')],
  ['a subscription action that does not exist', '/taxii1/collection-management', () => `<t:Subscription_Management_Request xmlns:t="${NS}" message_id="sa-1" collection_name="acme-internal" action="DROP TABLE"/>`, bad(/^Subscription_Management_Request@action 'DROP TABLE' is not one of SUBSCRIBE, UNSUBSCRIBE, PAUSE, RESUME, STATUS$/, 'sa-1')],
  // Poll requests (P-02, P-05, X-08, MP-03).
  ['a poll with both Subscription_ID and Poll_Parameters', '/taxii1/poll', () => poll('p-1', '<taxii_11:Subscription_ID>s-1</taxii_11:Subscription_ID><taxii_11:Poll_Parameters/>'), bad(/^Poll_Request has both Subscription_ID and Poll_Parameters \(exactly one is allowed\)$/, 'p-1')],
  ['a poll with neither', '/taxii1/poll', () => poll('p-2', ''), bad(/^Poll_Request has neither Subscription_ID nor Poll_Parameters/, 'p-2')],
  ['two Poll_Parameters', '/taxii1/poll', () => poll('p-3', '<taxii_11:Poll_Parameters/><taxii_11:Poll_Parameters/>'), bad(/^Poll_Request has 2 Poll_Parameters elements \(at most one is allowed\)$/, 'p-3')],
  ['an end before the begin', '/taxii1/poll', () => poll('p-4', ts('2026-06-01T00:00:00Z', '2026-01-01T00:00:00Z')), bad(/^Inclusive_End_Timestamp \(2026-01-01T00:00:00\.000000Z\) must be later than Exclusive_Begin_Timestamp \(2026-06-01T00:00:00\.000000Z\)$/, 'p-4')],
  ['an end equal to the begin', '/taxii1/poll', () => poll('p-5', ts('2026-01-01T00:00:00Z', '2026-01-01T00:00:00+00:00')), bad(/must be later than Exclusive_Begin_Timestamp/, 'p-5')],
  ['a timestamp without a zone', '/taxii1/poll', () => poll('p-6', ts('2026-01-01T00:00:00')), bad(/^Exclusive_Begin_Timestamp '2026-01-01T00:00:00' has no time zone \(TAXII timestamps need Z or ±hh:mm\)$/, 'p-6')],
  ['7 fractional digits', '/taxii1/poll', () => poll('p-7', ts('2026-01-01T00:00:00.1234567Z')), bad(/^Exclusive_Begin_Timestamp '2026-01-01T00:00:00\.1234567Z' has 7 fractional digits \(TAXII allows at most 6\)$/, 'p-7')],
  ['year 0', '/taxii1/poll', () => poll('p-8', ts('0000-01-01T00:00:00Z')), bad(/^Exclusive_Begin_Timestamp '0000-01-01T00:00:00Z' has year 0000, which xs:dateTime does not have$/, 'p-8')],
  ['year 99999', '/taxii1/poll', () => poll('p-9', ts('99999-01-01T00:00:00Z')), bad(/^Exclusive_Begin_Timestamp '99999-01-01T00:00:00Z' is not an xs:dateTime with a time zone/, 'p-9')],
  ['a zone offset of +99:99', '/taxii1/poll', () => poll('p-11', ts('2026-01-01T00:00:00+99:99')), bad(/^Exclusive_Begin_Timestamp '2026-01-01T00:00:00\+99:99' is not a real date and time$/, 'p-11')],
  ['February 30', '/taxii1/poll', () => poll('p-12', ts('2026-02-30T00:00:00Z')), bad(/^Exclusive_Begin_Timestamp '2026-02-30T00:00:00Z' is not a real date and time$/, 'p-12')],
  ['Response_Type EVERYTHING', '/taxii1/poll', () => poll('p-13', '<taxii_11:Poll_Parameters><taxii_11:Response_Type>EVERYTHING</taxii_11:Response_Type></taxii_11:Poll_Parameters>'), bad(/^Response_Type 'EVERYTHING' is neither FULL nor COUNT_ONLY$/, 'p-13')],
  ['allow_asynch="maybe"', '/taxii1/poll', () => poll('p-14', '<taxii_11:Poll_Parameters allow_asynch="maybe"/>'), bad(/^Poll_Parameters@allow_asynch is 'maybe', not true or false$/, 'p-14')],
  ...(['0', '-1', '1e30', 'NaN', 'two', '1.5', '12345678901234567', ''] as const).map(
    (part): Case => [`Poll_Fulfillment part "${part}"`, '/taxii1/poll', () => fulfillment(`pf-${part}`, part), bad(part === '' ? /^Poll_Fulfillment has no result_part_number attribute$/ : new RegExp(`^Poll_Fulfillment@result_part_number '${part.replace('.', '\\.')}' is not a positive integer$`), `pf-${part}`)],
  ),
  ['Poll_Fulfillment of a result set that does not exist, part 10^14', '/taxii1/poll', () => fulfillment('pf-big', '100000000000000'), { type: 'NOT_FOUND', message: /^There is no result set r-1 of collection acme-internal$/, inResponseTo: 'pf-big' }],
  // Inbox (I-02, I-07, X-11): refused whole, a valid block beside the hostile one.
  ['a Content_Block of an unknown binding', '/taxii1/inbox', () => inbox('i-1', VALID(31) + block('hello', 'urn:example:not-stix')), { type: 'UNSUPPORTED_CONTENT', message: /^Nothing of this message was stored: some content blocks are not STIX 1\.x: block 2 \(urn:example:not-stix\)$/, inResponseTo: 'i-1' }],
  ['a Content_Block without Content_Binding', '/taxii1/inbox', () => inbox('i-2', VALID(32) + '<taxii_11:Content_Block><taxii_11:Content>x</taxii_11:Content></taxii_11:Content_Block>'), bad(/^Content_Block 2 has no Content_Binding$/, 'i-2')],
  ['Content with two elements', '/taxii1/inbox', () => inbox('i-3', block(stixPackage('198.51.100.33') + stixPackage('198.51.100.34'))), bad(/^the Content of Content_Block 1 holds 2 elements \(one is expected\)$/, 'i-3')],
  ['Content mixing an element and text', '/taxii1/inbox', () => inbox('i-4', block(`text ${stixPackage('198.51.100.35')}`)), bad(/^the Content of Content_Block 1 mixes an element with text$/, 'i-4')],
  ['an empty Content', '/taxii1/inbox', () => inbox('i-5', VALID(36) + block('  ')), bad(/^the Content of Content_Block 2 is empty$/, 'i-5')],
  ['escaped text that is a billion-laughs document', '/taxii1/inbox', () => inbox('i-6', VALID(37) + block(escaped(billionLaughs()))), { type: 'FAILURE', message: new RegExp(`^${REFUSED_WHOLE}the XML has a document type declaration`), inResponseTo: 'i-6' }],
  ['a CDATA section that is a billion-laughs document', '/taxii1/inbox', () => inbox('i-7', VALID(38) + block(`<![CDATA[${billionLaughs()}]]>`)), { type: 'FAILURE', message: new RegExp(`^${REFUSED_WHOLE}the XML has a document type declaration`), inResponseTo: 'i-7' }],
  ['escaped text with an external entity', '/taxii1/inbox', () => inbox('i-8', VALID(39) + block(escaped(`<!DOCTYPE s [<!ENTITY e SYSTEM "file:///etc/passwd">]><s>&e;</s>`))), { type: 'FAILURE', message: new RegExp(`^${REFUSED_WHOLE}the XML has a document type declaration`), inResponseTo: 'i-8' }],
  ['escaped text that is not XML', '/taxii1/inbox', () => inbox('i-9', VALID(40) + block('just words &amp; &lt;unclosed')), { type: 'FAILURE', message: new RegExp(`^${REFUSED_WHOLE}the XML is not well-formed: `), inResponseTo: 'i-9' }],
  ['escaped text nested 100 deep', '/taxii1/inbox', () => inbox('i-10', VALID(41) + block(escaped(`${'<d>'.repeat(100)}${'</d>'.repeat(100)}`))), { type: 'FAILURE', message: new RegExp(`^${REFUSED_WHOLE}the XML nests elements deeper than 64 levels$`), inResponseTo: 'i-10' }],
  ['escaped text with &#x1; under an XML 1.1 declaration', '/taxii1/inbox', () => inbox('i-11', VALID(42) + block(escaped('<?xml version="1.1"?><s>&#x1;</s>'))), { type: 'FAILURE', message: new RegExp(`^${REFUSED_WHOLE}the XML is not well-formed: 1:\\d+: malformed character entity\\.$`), inResponseTo: 'i-11' }],
  ['an idref cycle between observables', '/taxii1/inbox', () => inbox('i-12', VALID(43) + block(OBSERVABLES_CYCLE)), { type: 'FAILURE', message: /^Nothing of this message was stored: 1 indicator of 2 refused, and a message is stored whole or not at all\. block 2, indicator example:indicator-cycle: observables nest or refer to each other too deeply$/, inResponseTo: 'i-12' }],
  ['a CybOX address value of 1 MB', '/taxii1/inbox', () => inbox('i-13', VALID(44) + block(stixPackage('9'.repeat(1024 * 1024)))), { type: 'FAILURE', message: /^Nothing of this message was stored: 1 indicator of 2 refused, .*the c2-ip value "9+/, inResponseTo: 'i-13' }],
  ['a destination name with <&" and unicode', '/taxii1/inbox', () => inbox('i-14', VALID(45), '&lt;&amp;&quot;é☃\u{1F600}'), { type: 'NOT_FOUND', message: /^There is no collection <&"é☃\u{1F600}$/u, inResponseTo: 'i-14' }],
  ['a collection alice may read but not write as destination', '/taxii1/inbox', () => inbox('i-15', VALID(46), 'initech-feed'), { type: 'DENIED', message: /^Your organization reads collection initech-feed as a member of its owner's trust groups, but is not one of its writers: only the owning organization writes to it$/, inResponseTo: 'i-15' }],
  ['a collection that does not exist as destination', '/taxii1/inbox', () => inbox('i-19', VALID(51), 'no-such-feed'), { type: 'NOT_FOUND', message: /^There is no collection no-such-feed$/, inResponseTo: 'i-19' }],
  ['a consumer pushing to a collection it may only read', '/taxii1/inbox', () => inbox('i-16', VALID(47)), { type: 'DENIED', message: /^Writing to collection acme-internal needs the provider role, which your account does not have/, inResponseTo: 'i-16' }, 'carol'],
  ['an empty Destination_Collection_Name', '/taxii1/inbox', () => inbox('i-17', VALID(48), ' '), bad(/^Inbox_Message has an empty Destination_Collection_Name$/, 'i-17')],
  ['Record_Count of -1', '/taxii1/inbox', () => inbox('i-18', VALID(49)).replace('</taxii_11:Destination_Collection_Name>', '</taxii_11:Destination_Collection_Name><taxii_11:Record_Count>-1</taxii_11:Record_Count>'), bad(/^Record_Count '-1' is not a non-negative integer$/, 'i-18')],
];

describe.each(testEngines())('TAXII-level hostile input, on %s', (engine) => {
  let hub: Taxii11HostileHub;
  let pushTarget: ConnectionCounter;
  beforeAll(async () => {
    pushTarget = await startConnectionCounter();
    hub = await startTaxii11HostileHub(engine);
    // The first message that reaches the store makes the hub's own identity (one hub_object_keys
    // row, made once, outside the message's transaction); made here, every row count below is the
    // message's own.
    expectStatus(await send(hub, '/taxii1/inbox', inbox('warm-1', VALID(99))), { type: 'SUCCESS', message: /^Stored 1 indicator/, inResponseTo: 'warm-1' });
  });
  afterAll(async () => {
    await hub.close();
    await pushTarget.close();
  });

  test.each(CASES.map((c) => ({ name: c[0], path: c[1], body: c[2], expected: c[3], user: c[4] ?? 'alice' })))('$name', async ({ path, body, expected, user }) => {
    const before = await storedRows(hub.db);
    expectStatus(await send(hub, path, body(), { user }), expected);
    expect(await storedRows(hub.db)).toEqual(before);
  });

  test("bounds outside the instants the hub keeps (0001, the last microsecond of 9999) are its earliest and latest: a poll that selects everything, answered with readable labels", async () => {
    const answer = await send(hub, '/taxii1/poll', poll('far-1', ts('0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999999Z')));
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('Poll_Response');
    expect(answer.text).toContain('<taxii_11:Exclusive_Begin_Timestamp>1684-07-28T00:12:25.259009Z</taxii_11:Exclusive_Begin_Timestamp>');
    expect(answer.text).toContain('198.51.100.99'); // the indicator stored before: everything is selected
    expect(answer.text).not.toMatch(/\+0100|0000-01-01/);
  });

  test('an indicator with 10 000 alternative observables is one indicator, read without blowing up', async () => {
    const composition = `<indicator:Observable><cybox:Observable_Composition operator="OR">${Array.from({ length: 10_000 }, (_, i) => observable(i)).join('')}</cybox:Observable_Composition></indicator:Observable>`;
    const answer = await send(hub, '/taxii1/inbox', inbox('big-1', block(withObservable('198.51.100.50', composition))));
    expectStatus(answer, { type: 'SUCCESS', message: /^Stored 1 indicator in collection acme-internal: 1 added, 0 already present\.$/, inResponseTo: 'big-1' });
  });

  // MT-05: a push address is attacker-controlled; only an allow-listed http(s) host is taken, and
  // nothing is contacted when subscribing.
  test.each([
    ['file:///etc/passwd', 'file:///etc/passwd', 'UNSUPPORTED_PROTOCOL', /^the push Address must be an http URL for protocol binding 'urn:taxii\.mitre\.org:protocol:http:1\.0'$/],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', 'DENIED', /^the push Address's host '169\.254\.169\.254' is not on the delivery allow-list of organization 'acme-hq'; the hub operator adds it \(delivery_allow_list\)$/],
    ['a loopback listener', 'loopback', 'DENIED', /^the push Address's host '127\.0\.0\.1' is not on the delivery allow-list of organization 'acme-hq'/],
  ])('a SUBSCRIBE pushing to %s is refused (%s), nothing contacted or stored', async (_name, address, type, message) => {
    const target = address === 'loopback' ? `${pushTarget.url}/inbox` : address;
    const before = await storedRows(hub.db);
    const body = `<t:Subscription_Management_Request xmlns:t="${NS}" message_id="sub-1" collection_name="acme-internal" action="SUBSCRIBE"><t:Subscription_Parameters/><t:Push_Parameters><t:Protocol_Binding>urn:taxii.mitre.org:protocol:http:1.0</t:Protocol_Binding><t:Address>${target}</t:Address><t:Message_Binding>urn:taxii.mitre.org:message:xml:1.1</t:Message_Binding></t:Push_Parameters></t:Subscription_Management_Request>`;
    expectStatus(await send(hub, '/taxii1/collection-management', body), { type, message, inResponseTo: 'sub-1' });
    expect(await storedRows(hub.db)).toEqual(before);
    expect(pushTarget.connections).toBe(0);
  });

  test('a discovery request with unknown elements and Extended_Headers is answered as a discovery request', async () => {
    const answer = await send(hub, '/taxii1/discovery', discovery('ext-1', '<taxii_11:Extended_Headers><taxii_11:Extended_Header name="urn:x">&lt;script&gt;</taxii_11:Extended_Header></taxii_11:Extended_Headers><x:y xmlns:x="urn:x"/>'));
    expect(answer.text).toMatch(/<taxii_11:Discovery_Response [^>]*in_response_to="ext-1"/);
  });
});
