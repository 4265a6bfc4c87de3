import { indicatorToStix12, type Stix12Outcome } from '../../../src/domain/stix1';
import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import type { IndicatorInput } from '../../../src/domain/indicators';
import { transitionVersion } from '../../../src/domain/lifecycle/indicator-state';
import { TLP1_MARKING_REFS, TLP2_MARKING_REFS, type TlpLevel } from '../../../src/domain/tlp';
import { attributeOf, childElements, textOf, xsiTypeOf, type XmlElement } from '../../../src/domain/xml/xml-element';
import { CONTEXT, findAll, findOne, hubIndicator, HUB_URI, INDICATOR_UUID, NS, parsed, taxii21Indicator } from './stix1-fixtures';

/** STIX 2.1 → STIX 1.2: what a TAXII 1.1 poller receives for each hub indicator. */

function emitted(indicator: Record<string, unknown>, context = CONTEXT): XmlElement {
  const outcome = indicatorToStix12(indicator, context);
  if (!outcome.ok) throw new Error(`refused: ${outcome.reason}`);
  return parsed(outcome.packageXml);
}

function indicatorOf(root: XmlElement): XmlElement {
  return findOne(root, NS.stix, 'Indicator');
}

function propertiesOf(root: XmlElement): XmlElement {
  return findOne(findOne(root, NS.indicator, 'Observable'), NS.cybox, 'Properties');
}

function typeName(element: XmlElement): string {
  const type = xsiTypeOf(element);
  return type === undefined ? '(none)' : `${type.uri} ${type.local}`;
}

/** The value element's text with its condition: what a 1.x consumer matches on. */
function matchOn(element: XmlElement): { value: string; condition: string | undefined } {
  return { value: textOf(element), condition: attributeOf(element, 'condition') };
}

const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('each of the eight kinds, as the hub writes it, becomes its CybOX object', () => {
  test('e-mail sender IP: EmailMessage Header X_Originating_IP (the hub writes the pattern as ipv4-addr, the kind tells)', () => {
    const properties = propertiesOf(emitted(hubIndicator({ kind: 'email-sender-ip', value: '198.51.100.7' })));
    expect(typeName(properties)).toBe(`${NS.EmailMessageObj} EmailMessageObjectType`);
    const header = findOne(properties, NS.EmailMessageObj, 'X_Originating_IP');
    expect(attributeOf(header, 'category')).toBe('ipv4-addr');
    expect(matchOn(findOne(header, NS.AddressObj, 'Address_Value'))).toEqual({ value: '198.51.100.7', condition: 'Equals' });
  });

  test('e-mail From: Header/From with category e-mail', () => {
    const from = findOne(propertiesOf(emitted(hubIndicator({ kind: 'email-from', value: 'Billing@Evil.Example' }))), NS.EmailMessageObj, 'From');
    expect(attributeOf(from, 'category')).toBe('e-mail');
    expect(matchOn(findOne(from, NS.AddressObj, 'Address_Value'))).toEqual({ value: 'Billing@evil.example', condition: 'Equals' });
  });

  test('e-mail subject: Header/Subject, kept verbatim', () => {
    const subject = findOne(propertiesOf(emitted(hubIndicator({ kind: 'email-subject', value: ' Invoice overdue ' }))), NS.EmailMessageObj, 'Subject');
    expect(matchOn(subject)).toEqual({ value: ' Invoice overdue ', condition: 'Equals' });
  });

  test('attachment file name: Attachments/File refers to a related FileObj File_Name that the message Contains', () => {
    const root = emitted(hubIndicator({ kind: 'email-attachment-name', value: 'invoice.pdf.exe' }));
    const reference = attributeOf(findOne(propertiesOf(root), NS.EmailMessageObj, 'File'), 'object_reference');
    const related = findOne(root, NS.cybox, 'Related_Object');
    expect(attributeOf(related, 'id')).toBe(reference);
    const fileProperties = findOne(related, NS.cybox, 'Properties');
    expect(typeName(fileProperties)).toBe(`${NS.FileObj} FileObjectType`);
    expect(matchOn(findOne(fileProperties, NS.FileObj, 'File_Name'))).toEqual({ value: 'invoice.pdf.exe', condition: 'Equals' });
    expect(textOf(findOne(related, NS.cybox, 'Relationship'))).toBe('Contains');
  });

  test('C2 host name: DomainNameObj of type FQDN', () => {
    const properties = propertiesOf(emitted(hubIndicator({ kind: 'c2-hostname', value: 'C2.Evil.Example.' })));
    expect(typeName(properties)).toBe(`${NS.DomainNameObj} DomainNameObjectType`);
    expect(attributeOf(properties, 'type')).toBe('FQDN');
    expect(matchOn(findOne(properties, NS.DomainNameObj, 'Value'))).toEqual({ value: 'c2.evil.example', condition: 'Equals' });
  });

  test.each([
    ['203.0.113.9', 'ipv4-addr', '203.0.113.9'],
    ['198.51.100.0/24', 'ipv4-addr', '198.51.100.0/24'],
    ['2001:DB8::1', 'ipv6-addr', '2001:db8::1'],
    ['2001:db8::/32', 'ipv6-addr', '2001:db8::/32'],
  ])('C2 IP %s: AddressObj of category %s (a network is written in CIDR)', (value, category, written) => {
    const properties = propertiesOf(emitted(hubIndicator({ kind: 'c2-ip', value })));
    expect(typeName(properties)).toBe(`${NS.AddressObj} AddressObjectType`);
    expect(attributeOf(properties, 'category')).toBe(category);
    expect(matchOn(findOne(properties, NS.AddressObj, 'Address_Value'))).toEqual({ value: written, condition: 'Equals' });
  });

  test('URL: URIObj of type URL', () => {
    const properties = propertiesOf(emitted(hubIndicator({ kind: 'url', value: 'http://x4z9arb.cn/4712' })));
    expect(typeName(properties)).toBe(`${NS.URIObj} URIObjectType`);
    expect(attributeOf(properties, 'type')).toBe('URL');
    expect(matchOn(findOne(properties, NS.URIObj, 'Value'))).toEqual({ value: 'http://x4z9arb.cn/4712', condition: 'Equals' });
  });

  test.each([
    ['MD5', 'MD5', true, 'd41d8cd98f00b204e9800998ecf8427e'],
    ['SHA-1', 'SHA1', true, 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['SHA-256', 'SHA256', true, SHA256],
    ['SHA-512', 'SHA512', true, 'f'.repeat(128)],
    ['SHA3-256', 'SHA3-256', false, 'a'.repeat(64)],
    ['SHA3-512', 'SHA3-512', false, 'b'.repeat(128)],
  ])('file hash %s: FileObj Hashes/Hash of Type %s (in HashNameVocab-1.0: %s)', (algorithm, name, inVocabulary, value) => {
    const hash = findOne(propertiesOf(emitted(hubIndicator({ kind: 'file-hash', value, algorithm }))), NS.cyboxCommon, 'Hash');
    const type = findOne(hash, NS.cyboxCommon, 'Type');
    expect(textOf(type)).toBe(name);
    expect(typeName(type)).toBe(inVocabulary ? `${NS.cyboxVocabs} HashNameVocab-1.0` : '(none)');
    expect(matchOn(findOne(hash, NS.cyboxCommon, 'Simple_Hash_Value'))).toEqual({ value, condition: 'Equals' });
  });
});

describe('STIX 2.1 patterns from TAXII 2.1 producers', () => {
  test('the X-Originating-IP header field is the e-mail sender IP', () => {
    const properties = propertiesOf(emitted(taxii21Indicator("[email-message:additional_header_fields.'X-Originating-IP' = '2001:db8::7']")));
    expect(attributeOf(findOne(properties, NS.EmailMessageObj, 'X_Originating_IP'), 'category')).toBe('ipv6-addr');
  });

  test('without the hub kind, an ipv4-addr pattern is a C2 IP', () => {
    expect(typeName(propertiesOf(emitted(taxii21Indicator("[ipv4-addr:value = '203.0.113.9']"))))).toBe(`${NS.AddressObj} AddressObjectType`);
  });

  test('IN and OR on one property become one ##comma## list with apply_condition ANY', () => {
    for (const pattern of ["[domain-name:value IN ('a.example', 'b.example')]", "[domain-name:value = 'a.example' OR domain-name:value = 'b.example']"]) {
      const value = findOne(propertiesOf(emitted(taxii21Indicator(pattern))), NS.DomainNameObj, 'Value');
      expect(textOf(value)).toBe('a.example##comma##b.example');
      expect(attributeOf(value, 'apply_condition')).toBe('ANY');
    }
  });

  test('AND of fields of one e-mail message is one EmailMessage object (checklist f.4)', () => {
    const pattern = "[email-message:from_ref.value = 'billing@evil.example' AND email-message:subject = 'Invoice overdue']";
    const header = findOne(propertiesOf(emitted(taxii21Indicator(pattern))), NS.EmailMessageObj, 'Header');
    expect(childElements(header).map((c) => c.local)).toEqual(['From', 'Subject']);
  });

  test('OR of observations of different kinds is an Observable_Composition with operator OR, and both types are listed', () => {
    const root = emitted(taxii21Indicator("[url:value = 'http://evil.example/'] OR [file:hashes.'SHA-256' = '" + SHA256 + "']"));
    const composition = findOne(root, NS.cybox, 'Observable_Composition');
    expect(attributeOf(composition, 'operator')).toBe('OR');
    expect(findAll(composition, NS.cybox, 'Properties').map(typeName)).toEqual([`${NS.URIObj} URIObjectType`, `${NS.FileObj} FileObjectType`]);
    expect(findAll(indicatorOf(root), NS.indicator, 'Type').map(textOf)).toEqual(['URL Watchlist', 'File Hash Watchlist']);
  });
});

const REFUSALS: readonly [string, Record<string, unknown>, string][] = [
  ['an identity', { type: 'identity', id: 'identity--2f1c2a1e-2f4e-4d8b-9a55-0a3e4f0b7c11', name: 'x' }, 'not an indicator'],
  ['a relationship', { type: 'relationship', id: 'relationship--2f1c2a1e-2f4e-4d8b-9a55-0a3e4f0b7c11' }, 'not an indicator'],
  ['a YARA rule', taxii21Indicator('rule x { condition: true }', { pattern_type: 'yara' }), 'pattern_type "yara" is not stix'],
  ['FOLLOWEDBY', taxii21Indicator("[url:value = 'http://a.example/'] FOLLOWEDBY [url:value = 'http://b.example/']"), 'FOLLOWEDBY'],
  ['WITHIN', taxii21Indicator("[url:value = 'http://a.example/'] WITHIN 60 SECONDS"), 'WITHIN'],
  ['REPEATS', taxii21Indicator("[url:value = 'http://a.example/'] REPEATS 2 TIMES"), 'REPEATS'],
  ['AND of observations', taxii21Indicator("[url:value = 'http://a.example/'] AND [domain-name:value = 'a.example']"), 'ANDs two observations'],
  ['a cross-object reference', taxii21Indicator("[domain-name:resolves_to_refs[*].value = '198.51.100.7']"), "domain-name:resolves_to_refs[*].value, which is not one of the hub's eight"],
  ['another observable type', taxii21Indicator("[process:name = 'evil.exe']"), 'process:name'],
  ['MATCHES', taxii21Indicator("[email-message:subject MATCHES '^Invoice']"), 'MATCHES'],
  ['a negation', taxii21Indicator("[url:value NOT = 'http://a.example/']"), 'negated'],
  ['a hash the hub does not take', taxii21Indicator(`[file:hashes.'SHA-384' = '${'a'.repeat(96)}']`), 'SHA-384'],
  ['AND across object types', taxii21Indicator("[email-message:subject = 'x' AND url:value = 'http://a.example/']"), 'not fields of one e-mail message'],
  ['an invalid pattern', taxii21Indicator('[url:value = '), 'not a valid STIX pattern'],
  ['no id', taxii21Indicator("[url:value = 'http://a.example/']", { id: 'indicator--not-a-uuid' }), 'indicator--<uuid>'],
  ['no modified', taxii21Indicator("[url:value = 'http://a.example/']", { modified: 'yesterday', created: undefined }), 'modified'],
  ['a value with the CybOX list separator', taxii21Indicator("[url:value = 'http://a.example/##comma##b']"), '##comma##'],
  ['a value XML cannot carry', taxii21Indicator("[email-message:subject = 'bell \u0007']"), 'XML cannot carry'],
];

describe('what has no faithful STIX 1.2 form is refused with the reason, never thrown', () => {
  test.each(REFUSALS)('%s', (_what, object, reason) => {
    const outcome = indicatorToStix12(object, CONTEXT);
    expect(outcome).toMatchObject({ ok: false });
    if (!outcome.ok) expect(outcome.reason).toContain(reason);
  });

  test.each([null, 'indicator', 42, [], { type: 'indicator', id: 7 }, { type: 'indicator', id: `indicator--${INDICATOR_UUID}`, pattern_type: 'stix', pattern: 12 }])(
    'odd input %j is refused',
    (input) => {
      expect(indicatorToStix12(input as Record<string, unknown>, CONTEXT).ok).toBe(false);
    },
  );

  test.each([
    ['a prefix that is not an XML name', { prefix: 'taxii hub', uri: HUB_URI }],
    ['a STIX prefix', { prefix: 'stix', uri: HUB_URI }],
    ['an empty namespace URI', { prefix: 'taxii-hub', uri: '' }],
  ])('an id namespace with %s is refused', (_what, idNamespace) => {
    expect(indicatorToStix12(hubIndicator({ kind: 'url', value: 'http://a.example/' }), { ...CONTEXT, idNamespace }).ok).toBe(false);
  });
});

function ok(outcome: Stix12Outcome): Extract<Stix12Outcome, { ok: true }> {
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome;
}

describe('the package and the indicator', () => {
  const input: IndicatorInput = { kind: 'c2-ip', value: '203.0.113.9' };

  test('a STIX 1.2 package with the hub id namespace declared, one indicator whose id keeps the STIX 2.1 UUID and whose timestamp is the version', () => {
    const outcome = ok(indicatorToStix12(hubIndicator(input), CONTEXT));
    const root = parsed(outcome.packageXml);
    expect([root.uri, root.local, attributeOf(root, 'version')]).toEqual([NS.stix, 'STIX_Package', '1.2']);
    expect(root.namespaces['taxii-hub']).toBe(HUB_URI);
    expect(attributeOf(root, 'id')).toMatch(new RegExp(`^taxii-hub:Package-${INDICATOR_UUID}-\\d+$`));
    const indicator = indicatorOf(root);
    expect(attributeOf(indicator, 'id')).toBe(`taxii-hub:indicator-${INDICATOR_UUID}`);
    expect(outcome.stix1Id).toBe(`taxii-hub:indicator-${INDICATOR_UUID}`);
    expect(attributeOf(indicator, 'timestamp')).toBe('2026-02-03T04:05:06.123456Z');
    expect(outcome.timestamp).toBe('2026-02-03T04:05:06.123456Z');
    expect(typeName(indicator)).toBe(`${NS.indicator} IndicatorType`);
  });

  test('two versions of one indicator: same indicator id, different package ids and timestamps', () => {
    const first = ok(indicatorToStix12(hubIndicator(input, {}, '2026-02-03T04:05:06.123Z'), CONTEXT));
    const second = ok(indicatorToStix12(hubIndicator(input, {}, '2026-02-04T04:05:06.123Z'), CONTEXT));
    expect(second.stix1Id).toBe(first.stix1Id);
    expect(second.timestamp).not.toBe(first.timestamp);
    expect(attributeOf(parsed(second.packageXml), 'id')).not.toBe(attributeOf(parsed(first.packageXml), 'id'));
  });

  test('the indicator elements come in the order of the STIX 1.2 IndicatorType', () => {
    const campaigns = [{ id: 'campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', name: 'Operation Paperclip' }];
    const indicator = indicatorOf(emitted(hubIndicator(input, { killChainPhase: 'command-and-control', description: 'Seen in May' }), { ...CONTEXT, campaigns }));
    expect(childElements(indicator).map((c) => c.local)).toEqual([
      'Title', 'Type', 'Type', 'Description', 'Valid_Time_Position', 'Observable', 'Kill_Chain_Phases', 'Confidence', 'Related_Campaigns', 'Producer',
    ]);
  });

  test('title, types, description, valid time, kill chain, producer and campaigns', () => {
    const campaigns = [{ id: 'campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', name: 'Operation Paperclip' }];
    const root = emitted(hubIndicator(input, { description: 'Seen in May' }), { ...CONTEXT, campaigns });
    const indicator = indicatorOf(root);
    expect(textOf(findOne(indicator, NS.indicator, 'Title'))).toBe('C2 IP 203.0.113.9');
    expect(findAll(indicator, NS.indicator, 'Type').map((t) => [textOf(t), typeName(t)])).toEqual([
      ['IP Watchlist', `${NS.stixVocabs} IndicatorTypeVocab-1.1`],
      ['C2', `${NS.stixVocabs} IndicatorTypeVocab-1.1`],
    ]);
    expect(textOf(findOne(indicator, NS.indicator, 'Description'))).toBe('Seen in May');
    expect(textOf(findOne(indicator, NS.indicator, 'Start_Time'))).toBe('2026-01-01T00:00:00.000Z');
    expect(textOf(findOne(indicator, NS.indicator, 'End_Time'))).toBe('2027-01-01T00:00:00.000Z');
    const phase = findOne(indicator, NS.stixCommon, 'Kill_Chain_Phase');
    expect([attributeOf(phase, 'kill_chain_name'), attributeOf(phase, 'name')]).toEqual(['LM Cyber Kill Chain', 'Command and Control']);
    expect(textOf(findOne(findOne(indicator, NS.indicator, 'Producer'), NS.stixCommon, 'Name'))).toBe('Acme CERT');
    const sourceIdentity = findOne(findOne(root, NS.stix, 'Information_Source'), NS.stixCommon, 'Identity');
    expect(attributeOf(sourceIdentity, 'id')).toBe('taxii-hub:identity-2f1c2a1e-2f4e-4d8b-9a55-0a3e4f0b7c11');
    const campaign = findOne(findOne(indicator, NS.indicator, 'Related_Campaign'), NS.stixCommon, 'Campaign');
    expect(attributeOf(campaign, 'idref')).toBe('taxii-hub:Campaign-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f');
    expect(textOf(findOne(campaign, NS.stixCommon, 'Name'))).toBe('Operation Paperclip');
  });

  test('another kill chain keeps its names', () => {
    const root = emitted(taxii21Indicator("[url:value = 'http://a.example/']", { kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'initial-access' }] }));
    const phase = findOne(root, NS.stixCommon, 'Kill_Chain_Phase');
    expect([attributeOf(phase, 'kill_chain_name'), attributeOf(phase, 'name')]).toEqual(['mitre-attack', 'initial-access']);
  });

  test.each([
    [0, 'None'], [1, 'Low'], [29, 'Low'], [30, 'Medium'], [69, 'Medium'], [70, 'High'], [100, 'High'],
  ])('confidence %i is %s', (confidence, word) => {
    const value = findOne(findOne(emitted(hubIndicator(input, { confidence })), NS.indicator, 'Confidence'), NS.stixCommon, 'Value');
    expect(textOf(value)).toBe(word);
    expect(typeName(value)).toBe(`${NS.stixVocabs} HighMediumLowVocab-1.0`);
  });

  test('no confidence, no Confidence element', () => {
    expect(findAll(emitted(taxii21Indicator("[url:value = 'http://a.example/']")), NS.indicator, 'Confidence')).toEqual([]);
  });

  test.each<[TlpLevel, string]>([
    ['clear', 'WHITE'], ['green', 'GREEN'], ['amber', 'AMBER'], ['amber+strict', 'AMBER'], ['red', 'RED'],
  ])('TLP:%s is marked %s in the package header', (tlp, color) => {
    const root = emitted(hubIndicator(input, { tlp, recipients: tlp === 'red' ? ['acme'] : [] }));
    const structure = findOne(findOne(findOne(root, NS.stix, 'STIX_Header'), NS.stix, 'Handling'), NS.marking, 'Marking_Structure');
    expect(typeName(structure)).toBe(`${NS.tlpMarking} TLPMarkingStructureType`);
    expect(attributeOf(structure, 'color')).toBe(color);
  });

  test('a TLP 1.0 marking from TAXII 2.1 is marked too; no TLP marking, no Handling', () => {
    const white = emitted(taxii21Indicator("[url:value = 'http://a.example/']", { object_marking_refs: [TLP1_MARKING_REFS.clear] }));
    expect(attributeOf(findOne(white, NS.marking, 'Marking_Structure'), 'color')).toBe('WHITE');
    expect(findAll(emitted(taxii21Indicator("[url:value = 'http://a.example/']")), NS.stix, 'Handling')).toEqual([]);
  });

  test('text with < & " and non-ASCII survives, and the package re-parses', () => {
    const tricky = 'Ünïcødé <b>&amp; "quotes" \'single\' 😀';
    const root = emitted(hubIndicator({ kind: 'email-subject', value: tricky }, { description: `${tricky}\r\nline 2` }), {
      ...CONTEXT,
      source: { name: 'A&B <CERT> "Ω"' },
      campaigns: [{ id: 'not-a-campaign-id', name: '<Op & "X">' }],
    });
    expect(textOf(findOne(root, NS.EmailMessageObj, 'Subject'))).toBe(tricky);
    expect(textOf(findOne(root, NS.indicator, 'Description'))).toBe(`${tricky}\r\nline 2`);
    expect(textOf(findOne(findOne(root, NS.indicator, 'Producer'), NS.stixCommon, 'Name'))).toBe('A&B <CERT> "Ω"');
    expect(textOf(findOne(findOne(root, NS.indicator, 'Related_Campaigns'), NS.stixCommon, 'Name'))).toBe('<Op & "X">');
  });

  test('a character XML cannot carry in free text becomes U+FFFD rather than breaking the package', () => {
    const root = emitted(hubIndicator(input, { description: 'bell\u0007 and lone \ud800' }));
    expect(textOf(findOne(root, NS.indicator, 'Description'))).toBe('bell\ufffd and lone \ufffd');
  });
});

describe('lifecycle: a final version tells a 1.1 poller on its next poll', () => {
  const active = hubIndicator({ kind: 'url', value: 'http://evil.example/x' }, { description: 'Phishing landing page' });

  test('revoked: same indicator id, later timestamp, title and description say REVOKED with the reason, valid time ended at the revocation', () => {
    const revoked = transitionVersion(active, { to: 'revoked', reason: 'submitted by mistake' }, '2026-03-01T00:00:00.000Z');
    const before = ok(indicatorToStix12(active, CONTEXT));
    const after = ok(indicatorToStix12(revoked, CONTEXT));
    expect(after.stix1Id).toBe(before.stix1Id);
    expect(after.timestamp).toBe('2026-03-01T00:00:00.000Z');
    const indicator = indicatorOf(parsed(after.packageXml));
    expect(textOf(findOne(indicator, NS.indicator, 'Title'))).toBe('REVOKED: URL http://evil.example/x');
    expect(textOf(findOne(indicator, NS.indicator, 'Description'))).toBe('REVOKED: submitted by mistake\n\nPhishing landing page');
    expect(textOf(findOne(indicator, NS.indicator, 'End_Time'))).toBe('2026-03-01T00:00:00.000Z');
  });

  test('benign: BENIGN (no longer malicious) with the reason', () => {
    const benign = transitionVersion(active, { to: 'benign', reason: 'domain sinkholed' }, '2026-03-01T00:00:00.000Z');
    const indicator = indicatorOf(emitted(benign));
    expect(textOf(findOne(indicator, NS.indicator, 'Title'))).toBe('BENIGN: URL http://evil.example/x');
    expect(textOf(findOne(indicator, NS.indicator, 'Description'))).toMatch(/^BENIGN \(no longer malicious\): domain sinkholed/);
    expect(textOf(findOne(indicator, NS.indicator, 'End_Time'))).toBe('2026-03-01T00:00:00.000Z');
  });

  test('revoked by a TAXII 2.1 producer (revoked: true, no hub state, no reason)', () => {
    const indicator = indicatorOf(emitted(taxii21Indicator("[url:value = 'http://a.example/']", { name: 'Bad URL', revoked: true })));
    expect(textOf(findOne(indicator, NS.indicator, 'Title'))).toBe('REVOKED: Bad URL');
    expect(textOf(findOne(indicator, NS.indicator, 'Description'))).toBe('REVOKED: withdrawn by its provider');
    expect(textOf(findOne(indicator, NS.indicator, 'End_Time'))).toBe('2026-02-03T04:05:06.123Z');
  });

  test('the hub state in the extension is enough', () => {
    const marked = { ...active, extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', kind: 'url', state: 'benign', state_reason: 'fixed' } } };
    expect(textOf(findOne(indicatorOf(emitted(marked)), NS.indicator, 'Title'))).toMatch(/^BENIGN: /);
  });

  test('an expired indicator is not final: its valid_until stays its End_Time', () => {
    const expired = hubIndicator({ kind: 'url', value: 'http://evil.example/x' }, { validUntil: '2026-01-15T00:00:00.000Z' });
    const indicator = indicatorOf(emitted(expired));
    expect(textOf(findOne(indicator, NS.indicator, 'Title'))).toBe('URL http://evil.example/x');
    expect(textOf(findOne(indicator, NS.indicator, 'End_Time'))).toBe('2026-01-15T00:00:00.000Z');
  });
});

test('the hub marking refs are the TLP 2.0 ones the hub writes (sanity for the tables above)', () => {
  expect(hubIndicator({ kind: 'url', value: 'http://a.example/' }).object_marking_refs).toEqual([TLP2_MARKING_REFS.amber]);
});

describe("an indicator that came as STIX 1.x keeps its provider's id where the caller allows it", () => {
  const withStix1Id = (id: string, namespace: string) =>
    taxii21Indicator("[ipv4-addr:value = '203.0.113.9']", {
      extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', state: 'active', stix1_id: id, stix1_namespace: namespace } },
    });
  const indicatorOf = (outcome: Stix12Outcome) => {
    if (!outcome.ok) throw new Error(outcome.reason);
    return { id: outcome.stix1Id, root: parsed(outcome.packageXml) };
  };

  test('kept, with its namespace declared, when allowed', () => {
    const { id, root } = indicatorOf(indicatorToStix12(withStix1Id('acme:indicator-42', 'http://acme.example/'), { ...CONTEXT, keepProviderIds: true }));
    expect(id).toBe('acme:indicator-42');
    const indicator = findOne(root, NS.stix, 'Indicator');
    expect(attributeOf(indicator, 'id')).toBe('acme:indicator-42');
    expect(indicator.namespaces.acme).toBe('http://acme.example/');
  });

  test("the hub's own id otherwise, so a hidden provider's namespace never shows", () => {
    expect(indicatorOf(indicatorToStix12(withStix1Id('acme:indicator-42', 'http://acme.example/'), CONTEXT)).id).toBe(`taxii-hub:indicator-${INDICATOR_UUID}`);
  });

  test.each([
    ['a prefix of the STIX namespaces', 'stix:indicator-42', 'http://acme.example/'],
    ["the hub's prefix bound elsewhere", 'taxii-hub:indicator-42', 'http://acme.example/'],
    ['an id that is no QName', 'not an id', 'http://acme.example/'],
  ])("the hub's own id for %s", (_what, stix1Id, namespace) => {
    expect(indicatorOf(indicatorToStix12(withStix1Id(stix1Id, namespace), { ...CONTEXT, keepProviderIds: true })).id).toBe(`taxii-hub:indicator-${INDICATOR_UUID}`);
  });
});

test('a consumer that asked for STIX 1.1.1 gets the same package labelled 1.1.1', () => {
  const indicator = taxii21Indicator("[ipv4-addr:value = '203.0.113.9']");
  const as12 = indicatorToStix12(indicator, CONTEXT);
  const as111 = indicatorToStix12(indicator, { ...CONTEXT, stixVersion: '1.1.1' });
  if (!as12.ok || !as111.ok) throw new Error('refused');
  expect(attributeOf(parsed(as111.packageXml), 'version')).toBe('1.1.1');
  expect(as111.packageXml.replace('version="1.1.1"', 'version="1.2"')).toBe(as12.packageXml);
});
