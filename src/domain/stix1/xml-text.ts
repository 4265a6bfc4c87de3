import { escapeXmlText } from '../xml/xml-writer';

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

/** The first character XML cannot carry, if any. */
export function nonXmlCharacter(value: string): string | undefined {
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
  return escapeXmlText(xmlSafe(value)).replace(/\r/g, '&#13;');
}
