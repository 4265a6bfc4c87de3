import {
  NS,
  billionLaughs,
  block,
  discovery,
  expectStatus,
  inbox,
  quadraticBlowup,
  send,
  startConnectionCounter,
  startTaxii11HostileHub,
  statusOf,
  stixPackage,
  storedRows,
  type ConnectionCounter,
  type Taxii11HostileHub,
} from './taxii11-hostile-hub';

/**
 * Group 1, XML-level attacks (checklist section e, MT-06, MT-07, X-01): each request is answered with
 * the exact Status_Message (BAD_MESSAGE in HTTP 200 saying what is wrong with the XML, in_response_to
 * '0' since no message_id could be read), nothing is stored, and nothing is ever fetched: every URL
 * the documents name points at a loopback listener that counts connections.
 */

let hub: Taxii11HostileHub;
let canary: ConnectionCounter;

beforeAll(async () => {
  canary = await startConnectionCounter();
  hub = await startTaxii11HostileHub();
});
afterAll(async () => {
  await hub.close();
  await canary.close();
});

const malformed = (what: string): RegExp => new RegExp(`^The request is not an XML document the hub reads: the XML is not well-formed: \\d+:\\d+: ${what}`);
const DOCTYPE = /^The request is not an XML document the hub reads: the XML has a document type declaration \(<!DOCTYPE>\): TAXII messages never need one, so none is accepted$/;
const NOT_UTF8 = /^The request is not an XML document the hub reads: the XML is not valid UTF-8$/;
const declared = (encoding: string): RegExp => new RegExp(`^The request is not an XML document the hub reads: the XML declares encoding "${encoding}"; send UTF-8$`);

const withId = (id: string) => `<taxii_11:Discovery_Request xmlns:taxii_11="${NS}" message_id="${id}"/>`;
const utf16 = (text: string, bom: number[], le: boolean): Buffer => {
  const body = Buffer.from(text, 'utf16le');
  if (!le) body.swap16();
  return Buffer.concat([Buffer.from(bom), body]);
};
const bytes = (...parts: (string | number[])[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

type Case = readonly [name: string, path: string, body: () => string | Buffer, message: RegExp];

const CASES: readonly Case[] = [
  // Entities and DTDs: a DOCTYPE is refused before anything in it is looked at (MT-07).
  ['billion laughs (1 KB, 10^9 expansions)', '/taxii1/discovery', () => billionLaughs(), DOCTYPE],
  ['billion laughs around a TAXII message', '/taxii1/discovery', () => billionLaughs(discovery('bl-1', '&lol9;')), DOCTYPE],
  ['billion laughs referenced in an inbox Content', '/taxii1/inbox', () => billionLaughs(inbox('bl-2', block('&lol9;'))), DOCTYPE],
  ['quadratic blow-up (50 KB entity x 50 000)', '/taxii1/discovery', quadraticBlowup, DOCTYPE],
  ['an external entity naming /etc/passwd', '/taxii1/inbox', () => `<!DOCTYPE m [<!ENTITY e SYSTEM "file:///etc/passwd">]>${inbox('xxe-1', block('&e;'))}`, DOCTYPE],
  ['an external entity naming a URL', '/taxii1/inbox', () => `<!DOCTYPE m [<!ENTITY e SYSTEM "${canary.url}/xxe">]>${inbox('xxe-2', block('&e;'))}`, DOCTYPE],
  ['an external entity in an attribute value', '/taxii1/discovery', () => `<!DOCTYPE m [<!ENTITY e SYSTEM "${canary.url}/attr">]>${withId('&e;')}`, DOCTYPE],
  ['an external DTD (SYSTEM)', '/taxii1/discovery', () => `<!DOCTYPE taxii_11:Discovery_Request SYSTEM "${canary.url}/x.dtd">${withId('dtd-1')}`, DOCTYPE],
  ['an external DTD (PUBLIC)', '/taxii1/discovery', () => `<!DOCTYPE x PUBLIC "-//X//DTD X//EN" "${canary.url}/p.dtd">${withId('dtd-2')}`, DOCTYPE],
  ['parameter entities fetching a DTD', '/taxii1/discovery', () => `<!DOCTYPE x [<!ENTITY % p SYSTEM "${canary.url}/p.dtd"> %p; <!ENTITY % q "<!ENTITY r 'r'>"> %q;]>${withId('pe-1')}`, DOCTYPE],
  ['an empty internal subset', '/taxii1/discovery', () => `<!DOCTYPE x []>${withId('dt-0')}`, DOCTYPE],
  ['an entity used without a DOCTYPE', '/taxii1/discovery', () => discovery('ent-1', '&lol;'), malformed('undefined entity\\.')],
  ['an external-entity name used without a DOCTYPE', '/taxii1/discovery', () => withId('&xxe;'), malformed('undefined entity\\.')],
  ['a DOCTYPE after the root', '/taxii1/discovery', () => `${withId('dt-1')}<!DOCTYPE x [<!ENTITY e "e">]>`, malformed('inappropriately located doctype declaration\\.')],
  ['a DOCTYPE inside the root', '/taxii1/discovery', () => discovery('dt-2', '<!DOCTYPE x>'), malformed('inappropriately located doctype declaration\\.')],
  ['an XML declaration inside the root', '/taxii1/discovery', () => discovery('xd-1', '<?xml version="1.0"?>'), malformed('an XML declaration must be at the start of the document\\.')],
  // Encodings: UTF-8 only, whatever a BOM or the declaration says.
  ['UTF-16 LE with its BOM', '/taxii1/discovery', () => utf16(withId('u16le'), [0xff, 0xfe], true), NOT_UTF8],
  ['UTF-16 BE with its BOM', '/taxii1/discovery', () => utf16(withId('u16be'), [0xfe, 0xff], false), NOT_UTF8],
  ['a UTF-32 LE BOM', '/taxii1/discovery', () => bytes([0xff, 0xfe, 0x00, 0x00], withId('u32le')), NOT_UTF8],
  ['a UTF-32 BE BOM', '/taxii1/discovery', () => bytes([0x00, 0x00, 0xfe, 0xff], withId('u32be')), NOT_UTF8],
  ['UTF-8 declared as UTF-16', '/taxii1/discovery', () => `<?xml version="1.0" encoding="UTF-16"?>${withId('d16')}`, declared('UTF-16')],
  ['UTF-7 (the old XSS trick)', '/taxii1/discovery', () => `<?xml version="1.0" encoding="UTF-7"?>${withId('d7')}`, declared('UTF-7')],
  ['ISO-8859-1 declared', '/taxii1/discovery', () => `<?xml version="1.0" encoding="ISO-8859-1"?>${withId('d88')}`, declared('ISO-8859-1')],
  ['an overlong UTF-8 "<" (C0 BC)', '/taxii1/discovery', () => bytes([0xc0, 0xbc], withId('ovl').slice(1)), NOT_UTF8],
  ['a lone continuation byte in an attribute', '/taxii1/discovery', () => bytes('<taxii_11:Discovery_Request xmlns:taxii_11="', NS, '" message_id="a', [0x80], '"/>'), NOT_UTF8],
  ['a surrogate encoded in UTF-8 (ED A0 80)', '/taxii1/discovery', () => bytes(discovery('sur').slice(0, -30), [0xed, 0xa0, 0x80], discovery('sur').slice(-30)), NOT_UTF8],
  ['Latin-1 bytes (E9) in text', '/taxii1/discovery', () => bytes(discovery('l1').slice(0, -30), [0xe9], discovery('l1').slice(-30)), NOT_UTF8],
  // Characters XML 1.0 cannot carry, raw or as references (an answer echoing them would not be XML).
  ['a raw NUL in an attribute', '/taxii1/discovery', () => withId('a\u0000b'), malformed('disallowed character\\.')],
  ['a raw NUL in text', '/taxii1/discovery', () => discovery('nul-2', 'a\u0000b'), malformed('disallowed character\\.')],
  ['a raw ESC (U+001B) in text', '/taxii1/discovery', () => discovery('c0-1', '\u001b[31m'), malformed('disallowed character\\.')],
  ['a raw vertical tab in an attribute', '/taxii1/discovery', () => withId('a\u000bb'), malformed('disallowed character\\.')],
  ['&#0;', '/taxii1/discovery', () => withId('a&#0;b'), malformed('malformed character entity\\.')],
  ['&#x1B;', '/taxii1/discovery', () => discovery('ref-1', '&#x1B;'), malformed('malformed character entity\\.')],
  ['&#x1; under an XML 1.1 declaration (1.1 allows it, the hub reads 1.0)', '/taxii1/discovery', () => `<?xml version="1.1"?>${withId('a&#x1;b')}`, malformed('malformed character entity\\.')],
  ['a lone high surrogate &#xD800;', '/taxii1/discovery', () => withId('a&#xD800;b'), malformed('malformed character entity\\.')],
  ['a lone low surrogate &#57343;', '/taxii1/discovery', () => discovery('sur-2', '&#57343;'), malformed('malformed character entity\\.')],
  ['&#xFFFE;', '/taxii1/discovery', () => discovery('ref-2', '&#xFFFE;'), malformed('malformed character entity\\.')],
  ['&#x110000; (past Unicode)', '/taxii1/discovery', () => withId('a&#x110000;b'), malformed('malformed character entity\\.')],
  ['a 30-digit reference', '/taxii1/discovery', () => discovery('ref-3', `&#${'9'.repeat(30)};`), malformed('malformed character entity\\.')],
  ['an empty reference &#x;', '/taxii1/discovery', () => discovery('ref-4', '&#x;'), malformed('malformed character entity\\.')],
  // Shape limits (MT-06): depth, attributes, namespace tables.
  ['10 000 nested elements', '/taxii1/discovery', () => `${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`, /^The request is not an XML document the hub reads: the XML nests elements deeper than 64 levels$/],
  ['a STIX package nested 100 deep in an inbox', '/taxii1/inbox', () => inbox('deep-1', block(stixPackage('198.51.100.20', `${'<x:d xmlns:x="urn:x">'.repeat(100)}${'</x:d>'.repeat(100)}`))), /the XML nests elements deeper than 64 levels$/],
  ['10 000 attributes on one element', '/taxii1/discovery', () => `<taxii_11:Discovery_Request xmlns:taxii_11="${NS}" message_id="at-1" ${Array.from({ length: 10_000 }, (_, i) => `a${i}="1"`).join(' ')}/>`, /^The request is not an XML document the hub reads: an element has more than 256 attributes$/],
  ['a duplicated attribute', '/taxii1/discovery', () => `<taxii_11:Discovery_Request xmlns:taxii_11="${NS}" message_id="a" message_id="b"/>`, malformed('duplicate attribute: message_id\\.')],
  [
    'namespace declarations nested into thousands in scope',
    '/taxii1/discovery',
    () => `${Array.from({ length: 60 }, (_, d) => `<e ${Array.from({ length: 200 }, (_, i) => `xmlns:p${d}_${i}="urn:${d}:${i}"`).join(' ')}>`).join('')}${'</e>'.repeat(60)}`,
    /^The request is not an XML document the hub reads: an element has more than 512 namespace bindings in scope$/,
  ],
  [
    'a namespace declared anew on each of 50 000 siblings under 250 inherited ones',
    '/taxii1/discovery',
    () => `<taxii_11:Discovery_Request xmlns:taxii_11="${NS}" message_id="ns-2" ${Array.from({ length: 250 }, (_, i) => `xmlns:r${i}="urn:r:${i}"`).join(' ')}>${Array.from({ length: 50_000 }, (_, i) => `<s xmlns:z="urn:z:${i}"/>`).join('')}</taxii_11:Discovery_Request>`,
    /^The request is not an XML document the hub reads: the XML declares namespaces on too many elements \(more than 1000000 bindings in scope over all of them\)$/,
  ],
  ['an unbound prefix', '/taxii1/discovery', () => '<taxii_11:Discovery_Request message_id="p"/>', malformed('unbound namespace prefix: "taxii_11"\\.')],
  ['a prefix undeclared to empty', '/taxii1/discovery', () => `<taxii_11:Discovery_Request xmlns:taxii_11="" message_id="p"/>`, malformed('invalid attempt to undefine prefix in XML 1\\.0')],
  // Structure.
  ['"]]>" in text outside CDATA', '/taxii1/discovery', () => discovery('cd-1', 'a]]>b'), malformed('the string "\\]\\]>" is disallowed in char data\\.')],
  ['a CDATA section outside the root', '/taxii1/discovery', () => `<![CDATA[${withId('cd-2')}]]>`, malformed('text data outside of root node\\.')],
  ['an unclosed CDATA section', '/taxii1/discovery', () => discovery('cd-3', '<![CDATA[abc').replace(/<\/taxii_11:Discovery_Request>$/, ''), malformed('unclosed tag: taxii_11:Discovery_Request')],
  ['"--" inside a comment', '/taxii1/discovery', () => discovery('cm-1', '<!-- a -- b -->'), malformed('malformed comment\\.')],
  ['a comment inside a tag', '/taxii1/discovery', () => `<taxii_11:Discovery_Request <!-- c --> xmlns:taxii_11="${NS}" message_id="cm-2"/>`, malformed('disallowed character in attribute name\\.')],
  ['an unclosed comment', '/taxii1/discovery', () => `${withId('cm-3')}<!-- never closed`, malformed('unexpected end\\.')],
  ['an unclosed tag', '/taxii1/discovery', () => discovery('uc-1').replace(/<\/taxii_11:Discovery_Request>$/, ''), malformed('unclosed tag: taxii_11:Discovery_Request')],
  ['mismatched tags', '/taxii1/discovery', () => discovery('mm-1', '<a></b>'), malformed('unexpected close tag\\.')],
  ['two roots', '/taxii1/discovery', () => `${withId('r-1')}${withId('r-2')}`, malformed('documents may contain only one root\\.')],
  ['trailing garbage', '/taxii1/discovery', () => `${withId('tg-1')}garbage`, malformed('text data outside of root node\\.')],
  ['whitespace only', '/taxii1/discovery', () => '   \r\n\t  ', malformed('document must contain a root element\\.')],
  ['a URL string with a TAXII message in its query (CVE-2020-27197)', '/taxii1/discovery', () => `${canary.url}/?${withId('ssrf-1')}`, malformed('text data outside of root node\\.')],
  ['a file:// URL as the body', '/taxii1/discovery', () => 'file:///etc/passwd', malformed('text data outside of root node\\.')],
];

describe('XML-level attacks: a BAD_MESSAGE naming the problem, nothing stored, nothing fetched', () => {
  test.each(CASES)('%s', async (_name, path, body, message) => {
    const before = await storedRows(hub.db);
    const answer = await send(hub, path, body());
    expectStatus(answer, { type: 'BAD_MESSAGE', message, inResponseTo: '0' });
    expect(await storedRows(hub.db)).toEqual(before);
    expect(canary.connections).toBe(0);
  });

  test('an empty body: BAD_MESSAGE asking for a message', async () => {
    expectStatus(await send(hub, '/taxii1/inbox', ''), { type: 'BAD_MESSAGE', message: /^The request has no body: send a TAXII 1\.1 XML message$/, inResponseTo: '0' });
  });
});

describe('what is content, not instruction: read as data, never followed', () => {
  const discoveryAnswer = async (body: string): Promise<void> => {
    const answer = await send(hub, '/taxii1/discovery', body);
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(new RegExp(`^<\\?xml[^>]*\\?>\\s*<taxii_11:Discovery_Response [^>]*in_response_to="ok-1"`));
    expect(canary.connections).toBe(0);
  };

  test('xi:include is an unknown element of a discovery request: ignored, nothing fetched', async () => {
    await discoveryAnswer(discovery('ok-1', `<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${canary.url}/inc" parse="text"/><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>`));
  });

  test('processing instructions (a stylesheet naming a URL) and comments everywhere are ignored', async () => {
    await discoveryAnswer(`<!-- a --><?xml-stylesheet type="text/xsl" href="${canary.url}/x.xsl"?>${discovery('ok-1', '<!-- b --><?pi data?><!-- <!DOCTYPE x> -->')}<!-- c --><?pi after?>`);
  });

  test('an attribute value of 4 MB on an unknown attribute is read and ignored', async () => {
    await discoveryAnswer(`<taxii_11:Discovery_Request xmlns:taxii_11="${NS}" message_id="ok-1" padding="${'a'.repeat(4 * 1024 * 1024)}"/>`);
  });

  test('a 100 000-character element name is echoed shortened, never whole', async () => {
    const answer = await send(hub, '/taxii1/discovery', `<${'x'.repeat(100_000)} message_id="long-1"/>`);
    expectStatus(answer, { type: 'BAD_MESSAGE', message: /^expected a TAXII 1\.1 message \(an element in namespace [^)]+\), found 'x{80}…' in no namespace$/, inResponseTo: 'long-1' });
    expect(answer.text.length).toBeLessThan(2000);
  });

  test('xi:include as the Content of an inbox block is not a STIX package: refused whole, nothing stored or fetched', async () => {
    const before = await storedRows(hub.db);
    const include = `<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${canary.url}/stix.xml"/>`;
    const answer = await send(hub, '/taxii1/inbox', inbox('xi-2', block(stixPackage('198.51.100.21')) + block(include)));
    expectStatus(answer, {
      type: 'FAILURE',
      message: /^Nothing of this message was stored: a content block is not a readable STIX 1\.x package: block 2: the content is xi:include in namespace "http:\/\/www\.w3\.org\/2001\/XInclude", not a STIX 1\.x STIX_Package/,
      inResponseTo: 'xi-2',
    });
    expect(await storedRows(hub.db)).toEqual(before);
    expect(canary.connections).toBe(0);
  });

  test('xsi:schemaLocation naming a URL is never fetched: the package is stored as any other', async () => {
    const located = stixPackage('198.51.100.22').replace('version="1.2"', `version="1.2" xsi:schemaLocation="http://stix.mitre.org/stix-1 ${canary.url}/stix_core.xsd"`);
    const answer = await send(hub, '/taxii1/inbox', inbox('sl-1', block(located)));
    expect(statusOf(answer)).toMatchObject({ type: 'SUCCESS', inResponseTo: 'sl-1', message: 'Stored 1 indicator in collection acme-internal: 1 added, 0 already present.' });
    expect(canary.connections).toBe(0);
  });
});
