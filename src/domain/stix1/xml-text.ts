import { escapeXmlAttribute, escapeXmlText } from '../xml/xml-writer';

/**
 * Text that XML 1.0 can carry. Control characters other than tab, line feed and carriage return,
 * unpaired surrogates and U+FFFE/U+FFFF cannot appear in an XML document at all, not even as
 * character references.
 */

function isXmlCharacter(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  if (code >= 0xd800 && code <= 0xdfff) return false; // a lone surrogate (a pair is one code point)
  return code !== 0xfffe && code !== 0xffff;
}

/**
 * Any character that may be one XML cannot carry (every surrogate, paired or not): text without one
 * needs no character-by-character look (most text the bridge writes).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const MAYBE_NON_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
/** What xmlText changes: a character that may not be XML, markup characters and carriage returns. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const XML_TEXT_WORK = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff&<>\r]/;
/** What escapeXmlAttribute changes. */
const ATTRIBUTE_WORK = /[&<>"\r\n\t]/;

/** The first character XML cannot carry, if any. */
export function nonXmlCharacter(value: string): string | undefined {
  if (!MAYBE_NON_XML.test(value)) return undefined;
  for (const char of value) if (!isXmlCharacter(char)) return char;
  return undefined;
}

/** Free text made XML-safe: a character XML cannot carry becomes U+FFFD. */
export function xmlSafe(value: string): string {
  if (nonXmlCharacter(value) === undefined) return value;
  let safe = '';
  for (const char of value) safe += isXmlCharacter(char) ? char : '\uFFFD';
  return safe;
}

/** Free text as element content: XML-safe, escaped, a carriage return kept as a reference (parsers turn a literal one into a line feed). */
export function xmlText(value: string): string {
  if (!XML_TEXT_WORK.test(value)) return value;
  return escapeXmlText(xmlSafe(value)).replace(/\r/g, '&#13;');
}

/** An attribute value escaped (escapeXmlAttribute), without a copy when nothing needs escaping. */
export function attributeText(value: string): string {
  return ATTRIBUTE_WORK.test(value) ? escapeXmlAttribute(value) : value;
}

/**
 * One element as text, as elementText writes it, for callers that have its attributes as text
 * already (` name="escaped value"` each): `<name attrs>content</name>`, or `<name attrs/>` when empty.
 */
export function tag(name: string, attributes: string, content: string): string {
  return content === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${content}</${name}>`;
}
