import { parseXml } from '../../../../src/http/taxii11/xml/safe-xml-parser';
import { childElements, textOf, xsiTypeOf, type XmlElement } from '../../../../src/domain/xml/xml-element';
import { serializeElement } from '../../../../src/domain/xml/xml-writer';

const root = (xml: string): XmlElement => {
  const outcome = parseXml(xml);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.root;
};

describe('the safe XML parser', () => {
  test('resolves namespaces whatever the prefix, and keeps text, references and CDATA', () => {
    const doc = root('<?xml version="1.0" encoding="UTF-8"?><t:A xmlns:t="urn:t"><B xmlns="urn:d">x &amp; &#65;<![CDATA[<y>]]></B></t:A>');
    expect(doc).toMatchObject({ local: 'A', uri: 'urn:t', name: 't:A' });
    const [b] = childElements(doc);
    expect(b).toMatchObject({ local: 'B', uri: 'urn:d' });
    expect(textOf(b as XmlElement)).toBe('x & A<y>');
  });

  test('an element cut out of its message declares every namespace in scope, so its QNames still resolve', () => {
    const doc = root('<m:Msg xmlns:m="urn:m" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ind="urn:ind"><m:Content><s:P xmlns:s="urn:s"><s:I xsi:type="ind:T" a="&quot;&lt;"/></s:P></m:Content></m:Msg>');
    const content = childElements(doc)[0] as XmlElement;
    const text = serializeElement(childElements(content)[0] as XmlElement);
    const again = root(text);
    const indicator = childElements(again)[0] as XmlElement;
    expect(xsiTypeOf(indicator)).toEqual({ uri: 'urn:ind', local: 'T' });
    expect(indicator.attributes.find((a) => a.name === 'a')?.value).toBe('"<');
  });

  test.each([
    ['billion laughs', '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'],
    ['an external entity', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'],
    ['an external DTD', '<!DOCTYPE x SYSTEM "http://127.0.0.1:1/x.dtd"><x/>'],
  ])('refuses a document type declaration: %s', (_name, xml) => {
    expect(parseXml(xml)).toMatchObject({ ok: false, reason: 'doctype' });
  });

  test.each([
    ['an undeclared entity', '<x>&lol;</x>', 'malformed'],
    ['mismatched tags', '<x><y></x>', 'malformed'],
    ['two roots', '<x/><y/>', 'malformed'],
    ['no root', '   ', 'malformed'],
    ['an unbound prefix', '<p:x/>', 'malformed'],
    ['deep nesting', `${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`, 'limit'],
    ['a declared encoding other than UTF-8', '<?xml version="1.0" encoding="ISO-8859-1"?><x/>', 'encoding'],
  ])('refuses %s', (_name, xml, reason) => {
    expect(parseXml(xml)).toMatchObject({ ok: false, reason });
  });

  test('refuses bytes that are not UTF-8', () => {
    expect(parseXml(Buffer.from([0x3c, 0x78, 0x3e, 0xff, 0x3c, 0x2f, 0x78, 0x3e]))).toMatchObject({ ok: false, reason: 'encoding' });
  });

  test('refuses an element with too many attributes and a document with too many elements', () => {
    const attrs = Array.from({ length: 300 }, (_, i) => ` a${i}="1"`).join('');
    expect(parseXml(`<x${attrs}/>`)).toMatchObject({ ok: false, reason: 'limit' });
    expect(parseXml(`<x>${'<y/>'.repeat(20)}</x>`, { maxDepth: 8, maxElements: 10, maxAttributes: 8 })).toMatchObject({ ok: false, reason: 'limit' });
  });
});
