import { readStix1Package, type MappedIndicator, type Stix1PackageReading } from '../../../src/domain/stix1';
import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import { parseStixPattern } from '../../../src/domain/stix-pattern';
import { TLP2_MARKING_REFS } from '../../../src/domain/tlp';
import type { XmlElement } from '../../../src/domain/xml/xml-element';
import { cyboxObject, indicatorPackage, parsed, stix1Package } from './stix1-fixtures';
import { address, email, hash, KINDS, value } from './stix1-observables';

/** STIX 1.x → STIX 2.1: what the hub makes of a package a TAXII 1.1 client sends to its Inbox. */

function only(reading: Stix1PackageReading): MappedIndicator {
  if (!reading.ok) throw new Error(`package refused: ${reading.reason}`);
  const [first] = reading.indicators;
  if (first === undefined || reading.indicators.length !== 1) throw new Error('expected one indicator');
  if (!first.ok) throw new Error(`indicator refused: ${first.reason}`);
  return first.indicator;
}

function refusal(reading: Stix1PackageReading): string {
  if (!reading.ok) throw new Error(`package refused: ${reading.reason}`);
  const [first] = reading.indicators;
  if (first === undefined || first.ok) throw new Error('expected a refused indicator');
  return first.reason;
}

function hubKind(indicator: MappedIndicator): unknown {
  return indicator.extensions?.[HUB_EXTENSION_ID]?.kind;
}

describe('each of the eight kinds, as STIX 1.x writes it, becomes the pattern the hub writes for that kind', () => {
  test.each(KINDS)('%s', (_what, observable, more, pattern, kind) => {
    const indicator = only(readStix1Package(indicatorPackage(observable, more)));
    expect(indicator.pattern).toBe(pattern);
    expect(hubKind(indicator)).toBe(kind);
    expect(parseStixPattern(indicator.pattern).ok).toBe(true);
    expect(indicator).toMatchObject({ type: 'indicator', spec_version: '2.1', pattern_type: 'stix', pattern_version: '2.1' });
  });

  test('namespaces are matched by URI, whatever the prefixes', () => {
    const root = parsed(
      '<p:STIX_Package xmlns:p="http://stix.mitre.org/stix-1" xmlns:i="http://stix.mitre.org/Indicator-2" xmlns:c="http://cybox.mitre.org/cybox-2"' +
        ' xmlns:x="http://www.w3.org/2001/XMLSchema-instance" xmlns:u="http://cybox.mitre.org/objects#URIObject-2" version="1.2">' +
        '<p:Indicators><p:Indicator id="e:indicator-1" x:type="i:IndicatorType"><i:Observable><c:Object><c:Properties x:type="u:URIObjectType">' +
        '<u:Value>http://a.example/</u:Value></c:Properties></c:Object></i:Observable></p:Indicator></p:Indicators></p:STIX_Package>',
    );
    expect(only(readStix1Package(root)).pattern).toBe("[url:value = 'http://a.example/']");
  });

  test('the hash algorithm of a file-hash indicator is in the hub extension', () => {
    expect(only(readStix1Package(indicatorPackage(KINDS[11]?.[1] ?? ''))).extensions?.[HUB_EXTENSION_ID]).toEqual({
      extension_type: 'property-extension',
      kind: 'file-hash',
      hash_algorithm: 'SHA-256',
      stix1_id: 'example:indicator-1',
      stix1_namespace: 'http://example.com',
      state: 'active',
    });
  });
});

describe('compositions and lists', () => {
  const composition = (operator: string, ...members: string[]): string =>
    `<cybox:Observable_Composition operator="${operator}">${members.map((m, i) => `<cybox:Observable id="example:Observable-m${i}">${m}</cybox:Observable>`).join('')}</cybox:Observable_Composition>`;
  const domain = (text: string, attributes = 'condition="Equals"'): string =>
    cyboxObject(`xsi:type="DomainNameObj:DomainNameObjectType">${value('DomainNameObj:Value', text, attributes)}`);

  test('an OR composition of different kinds is an OR of observations, with no single hub kind', () => {
    const indicator = only(readStix1Package(indicatorPackage(composition('OR', address('ipv4-addr', '203.0.113.9'), domain('c2.evil.example')))));
    expect(indicator.pattern).toBe("[ipv4-addr:value = '203.0.113.9'] OR [domain-name:value = 'c2.evil.example']");
    expect(indicator.extensions?.[HUB_EXTENSION_ID]?.kind).toBeUndefined();
  });

  test('an OR composition of one kind keeps the kind', () => {
    const indicator = only(readStix1Package(indicatorPackage(composition('OR', address('ipv4-addr', '203.0.113.9'), address('ipv6-addr', '2001:db8::9')))));
    expect(indicator.pattern).toBe("[ipv4-addr:value = '203.0.113.9'] OR [ipv6-addr:value = '2001:db8::9']");
    expect(hubKind(indicator)).toBe('c2-ip');
  });

  test('an AND composition of separate observables is refused (ambiguous)', () => {
    expect(refusal(readStix1Package(indicatorPackage(composition('AND', domain('a.example'), domain('b.example')))))).toContain('operator="AND"');
  });

  test('a ##comma## list (apply_condition ANY, the default) is an OR of the hub comparisons', () => {
    for (const attributes of ['condition="Equals"', 'condition="Equals" apply_condition="ANY"']) {
      const indicator = only(readStix1Package(indicatorPackage(domain('a.example##comma##B.example', attributes))));
      expect(indicator.pattern).toBe("[domain-name:value = 'a.example' OR domain-name:value = 'b.example']");
      expect(parseStixPattern(indicator.pattern).ok).toBe(true);
    }
  });

  test('a list with apply_condition ALL is refused', () => {
    expect(refusal(readStix1Package(indicatorPackage(domain('a.example##comma##b.example', 'condition="Equals" apply_condition="ALL"'))))).toContain('apply_condition="ALL"');
  });

  test('the fields of one e-mail message are ANDed (the sender IP as its header field), with no single hub kind', () => {
    const header =
      `<EmailMessageObj:From category="e-mail">${value('AddressObj:Address_Value', 'a@evil.example##comma##b@evil.example')}</EmailMessageObj:From>` +
      value('EmailMessageObj:Subject', 'Invoice') +
      `<EmailMessageObj:X_Originating_IP>${value('AddressObj:Address_Value', '198.51.100.7')}</EmailMessageObj:X_Originating_IP>`;
    const indicator = only(readStix1Package(indicatorPackage(email(header))));
    expect(indicator.pattern).toBe(
      "[(email-message:from_ref.value = 'a@evil.example' OR email-message:from_ref.value = 'b@evil.example') AND email-message:subject = 'Invoice'" +
        " AND email-message:additional_header_fields.'X-Originating-IP' = '198.51.100.7']",
    );
    expect(parseStixPattern(indicator.pattern).ok).toBe(true);
    expect(indicator.extensions?.[HUB_EXTENSION_ID]?.kind).toBeUndefined();
  });
});

describe('idrefs', () => {
  const observables = `<stix:Observables cybox_major_version="2" cybox_minor_version="1"><cybox:Observable id="example:Observable-url">${cyboxObject(
    `xsi:type="URIObj:URIObjectType">${value('URIObj:Value', 'http://a.example/')}`,
  )}</cybox:Observable><cybox:Observable id="example:Observable-lonely">${address('ipv4-addr', '203.0.113.1')}</cybox:Observable></stix:Observables>`;
  const referring = (idref: string): XmlElement =>
    stix1Package(
      `${observables}<stix:Indicators><stix:Indicator id="example:indicator-1" xsi:type="indicator:IndicatorType"><indicator:Observable idref="${idref}"/></stix:Indicator></stix:Indicators>`,
    );

  test('an observable referenced by idref from the package Observables is resolved; the one no indicator uses is named unmapped', () => {
    const reading = readStix1Package(referring('example:Observable-url'));
    expect(only(reading).pattern).toBe("[url:value = 'http://a.example/']");
    expect(reading.ok && reading.unmapped).toEqual([expect.objectContaining({ what: 'Observable', id: 'example:Observable-lonely' })]);
  });

  test('an unknown idref refuses that indicator, naming the idref', () => {
    expect(refusal(readStix1Package(referring('example:Observable-missing')))).toContain('"example:Observable-missing"');
  });
});

describe('what does not map is named, never invented', () => {
  test('TTPs, incidents, exploit targets and threat actors are listed unmapped with their ids', () => {
    const reading = readStix1Package(
      stix1Package(
        '<stix:TTPs><stix:TTP id="example:ttp-1"/></stix:TTPs><stix:Incidents><stix:Incident id="example:incident-1"/></stix:Incidents>' +
          '<stix:Exploit_Targets><stixCommon:Exploit_Target id="example:et-1"/></stix:Exploit_Targets><stix:Threat_Actors><stix:Threat_Actor id="example:ta-1"/></stix:Threat_Actors>',
      ),
    );
    expect(reading).toMatchObject({ ok: true, indicators: [] });
    expect(reading.ok && reading.unmapped.map((u) => [u.what, u.id])).toEqual([
      ['TTP', 'example:ttp-1'],
      ['Incident', 'example:incident-1'],
      ['Exploit_Target', 'example:et-1'],
      ['Threat_Actor', 'example:ta-1'],
    ]);
  });

  test("an indicator's Indicated_TTP is named unmapped while the indicator maps", () => {
    const reading = readStix1Package(
      stix1Package(
        '<stix:Indicators><stix:Indicator id="example:indicator-1">' +
          `<indicator:Observable>${address('ipv4-addr', '203.0.113.9')}</indicator:Observable>` +
          '<indicator:Indicated_TTP><stixCommon:TTP idref="example:ttp-1"/></indicator:Indicated_TTP></stix:Indicator></stix:Indicators>',
      ),
    );
    expect(only(reading).pattern).toBe("[ipv4-addr:value = '203.0.113.9']");
    expect(reading.ok && reading.unmapped).toEqual([expect.objectContaining({ what: 'Indicator Indicated_TTP', id: 'example:indicator-1' })]);
  });

  test.each([
    ['StartsWith', value('EmailMessageObj:Subject', 'Invoice', 'condition="StartsWith"')],
    ['Contains', value('EmailMessageObj:Subject', 'Invoice', 'condition="Contains"')],
    ['FitsPattern', value('EmailMessageObj:Subject', '^Inv.*', 'condition="FitsPattern" pattern_type="Regex"')],
  ])('condition %s is refused, naming it', (condition, header) => {
    expect(refusal(readStix1Package(indicatorPackage(email(header))))).toContain(`condition="${condition}"`);
  });

  test.each([
    ['a composite indicator expression', '<indicator:Composite_Indicator_Expression operator="OR"/>', '', 'composite'],
    ['another object type', '', cyboxObject(`xsi:type="FileObj:FileObjectType">${value('FileObj:File_Name', 'a.exe')}`), 'FileObj:File_Name'],
    ['an SSDEEP hash', '', hash('<cyboxCommon:Type>SSDEEP</cyboxCommon:Type>', '3:a:b'), 'SSDEEP'],
    ['a bare e-mail address', '', address('e-mail', 'a@evil.example'), 'category e-mail'],
    ['a MAC address', '', address('mac', '00:11:22:33:44:55'), 'category="mac"'],
    ['a value the hub refuses (its own message)', '', address('ipv4-addr', '203.0.113.999'), 'c2-ip value "203.0.113.999"'],
    ['a host name that is an IP', '', cyboxObject(`xsi:type="HostnameObj:HostnameObjectType">${value('HostnameObj:Hostname_Value', '203.0.113.9')}`), 'use kind c2-ip'],
    ['an unknown object type', '', cyboxObject('xsi:type="cybox:UnknownObjectType">'), 'UnknownObjectType'],
  ])('%s is refused', (_what, more, observable, reason) => {
    const root =
      observable === ''
        ? stix1Package(`<stix:Indicators><stix:Indicator id="example:indicator-1">${more}</stix:Indicator></stix:Indicators>`)
        : indicatorPackage(observable, more);
    expect(refusal(readStix1Package(root))).toContain(reason);
  });

  test('a package with one good and one refused indicator reports both', () => {
    const reading = readStix1Package(
      stix1Package(
        '<stix:Indicators>' +
          `<stix:Indicator id="example:indicator-good"><indicator:Observable>${address('ipv4-addr', '203.0.113.9')}</indicator:Observable></stix:Indicator>` +
          `<stix:Indicator id="example:indicator-bad"><indicator:Observable>${address('ipv4-addr', 'nope')}</indicator:Observable></stix:Indicator>` +
          '</stix:Indicators>',
      ),
    );
    expect(reading.ok && reading.indicators.map((i) => [i.stix1Id, i.ok])).toEqual([
      ['example:indicator-good', true],
      ['example:indicator-bad', false],
    ]);
  });
});

describe('the package', () => {
  test('a STIX 1.1.1 package is read', () => {
    const root = stix1Package(`<stix:Indicators><stix:Indicator id="example:indicator-1"><indicator:Observable>${address('ipv4-addr', '203.0.113.9')}</indicator:Observable></stix:Indicator></stix:Indicators>`, 'version="1.1.1"');
    expect(only(readStix1Package(root)).pattern).toBe("[ipv4-addr:value = '203.0.113.9']");
  });

  test.each([
    ['a bare indicator', '<stix:Indicator xmlns:stix="http://stix.mitre.org/stix-1"/>', 'not a STIX 1.x STIX_Package'],
    ['a TAXII message', '<taxii_11:Inbox_Message xmlns:taxii_11="http://taxii.mitre.org/messages/taxii_xml_binding-1.1"/>', 'not a STIX 1.x STIX_Package'],
  ])('%s is refused at package level', (_what, xml, reason) => {
    const reading = readStix1Package(parsed(xml));
    expect(reading).toMatchObject({ ok: false });
    if (!reading.ok) expect(reading.reason).toContain(reason);
  });

  test('an unknown STIX version is refused', () => {
    expect(readStix1Package(stix1Package('', 'version="2.0"'))).toMatchObject({ ok: false, reason: expect.stringContaining('"2.0"') });
  });
});

describe('indicator fields', () => {
  const observable = address('ipv4-addr', '203.0.113.9');
  const tlp = (color: string): string =>
    `<marking:Marking><marking:Controlled_Structure>//node()</marking:Controlled_Structure><marking:Marking_Structure xsi:type="tlpMarking:TLPMarkingStructureType" color="${color}"/></marking:Marking>`;
  const headerTlp = (color: string): string => `<stix:STIX_Header><stix:Handling>${tlp(color)}</stix:Handling></stix:STIX_Header>`;
  const ownTlp = (color: string): string => `<indicator:Handling>${tlp(color)}</indicator:Handling>`;
  const withFields = (fields: string, header = ''): MappedIndicator =>
    only(readStix1Package(stix1Package(`${header}<stix:Indicators><stix:Indicator id="example:indicator-1" timestamp="2014-02-20T11:00:00.5+02:00">${fields}</stix:Indicator></stix:Indicators>`)));
  const observed = `<indicator:Observable>${observable}</indicator:Observable>`;

  test('title, description, types, timestamp, valid time, kill chain and confidence', () => {
    const indicator = withFields(
      '<indicator:Title>C2 server</indicator:Title><indicator:Type xsi:type="stixVocabs:IndicatorTypeVocab-1.1">IP Watchlist</indicator:Type>' +
        '<indicator:Type>C2</indicator:Type><indicator:Type>Something local</indicator:Type><indicator:Description>Seen &amp; blocked</indicator:Description>' +
        '<indicator:Valid_Time_Position><indicator:Start_Time precision="second">2014-02-20T09:00:00Z</indicator:Start_Time><indicator:End_Time>2014-03-20T09:00:00</indicator:End_Time></indicator:Valid_Time_Position>' +
        observed +
        '<indicator:Kill_Chain_Phases><stixCommon:Kill_Chain_Phase name="Command and Control" kill_chain_name="LM Cyber Kill Chain"/><stixCommon:Kill_Chain_Phase name="Initial Access" kill_chain_name="MITRE ATT&amp;CK"/></indicator:Kill_Chain_Phases>' +
        '<indicator:Confidence><stixCommon:Value>Medium</stixCommon:Value></indicator:Confidence>',
    );
    expect(indicator).toMatchObject({
      name: 'C2 server',
      description: 'Seen & blocked',
      indicator_types: ['malicious-activity', 'ip-watchlist', 'command-and-control'],
      created: '2014-02-20T09:00:00.500000Z',
      modified: '2014-02-20T09:00:00.500000Z',
      valid_from: '2014-02-20T09:00:00.000000Z',
      valid_until: '2014-03-20T09:00:00.000000Z',
      kill_chain_phases: [
        { kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'command-and-control' },
        { kill_chain_name: 'mitre-att&ck', phase_name: 'initial-access' },
      ],
      confidence: 50,
    });
  });

  test.each([['High', 85], ['Medium', 50], ['Low', 15], ['None', 0]])('confidence %s is %i', (word, number) => {
    expect(withFields(`${observed}<indicator:Confidence><stixCommon:Value>${word}</stixCommon:Value></indicator:Confidence>`).confidence).toBe(number);
  });

  test('without Start_Time, valid_from is the timestamp; without either, created, modified and valid_from are left to the inbox', () => {
    expect(withFields(observed).valid_from).toBe('2014-02-20T09:00:00.500000Z');
    const bare = only(readStix1Package(stix1Package(`<stix:Indicators><stix:Indicator id="example:indicator-1">${observed}</stix:Indicator></stix:Indicators>`)));
    expect([bare.created, bare.modified, bare.valid_from]).toEqual([undefined, undefined, undefined]);
    expect(Object.keys(bare)).not.toContain('created');
  });

  test('an End_Time not after Start_Time, or an unreadable timestamp, refuses the indicator', () => {
    const ended = '<indicator:Valid_Time_Position><indicator:Start_Time>2014-02-20T09:00:00Z</indicator:Start_Time><indicator:End_Time>2014-02-20T09:00:00Z</indicator:End_Time></indicator:Valid_Time_Position>';
    expect(refusal(readStix1Package(stix1Package(`<stix:Indicators><stix:Indicator id="example:indicator-1">${ended}${observed}</stix:Indicator></stix:Indicators>`)))).toContain('End_Time');
    expect(refusal(readStix1Package(stix1Package(`<stix:Indicators><stix:Indicator id="example:indicator-1" timestamp="last week">${observed}</stix:Indicator></stix:Indicators>`)))).toContain('last week');
  });

  test.each([
    ['the package header only', headerTlp('AMBER'), '', 'amber'],
    ["the indicator's own only", '', ownTlp('GREEN'), 'green'],
    ['WHITE, read as CLEAR', headerTlp('WHITE'), '', 'clear'],
    ['a stricter indicator marking than the package', headerTlp('GREEN'), ownTlp('RED'), 'red'],
    ['a looser indicator marking than the package (the stricter wins)', headerTlp('AMBER'), ownTlp('GREEN'), 'amber'],
  ] as const)('TLP from %s', (_what, header, own, level) => {
    expect(withFields(`${observed}${own}`, header).object_marking_refs).toEqual([TLP2_MARKING_REFS[level]]);
  });

  test('no TLP marking, no object_marking_refs', () => {
    expect(withFields(observed).object_marking_refs).toBeUndefined();
  });
});
