/**
 * RFC 2047 encoded words (`=?UTF-8?B?SW52b2ljZQ==?=`) in a logged header value: mail software logs a
 * Subject or From as it arrived, encoded, while a provider shares the subject as people read it.
 * A word that does not decode is left as it was.
 */

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
/** Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2). */
const BETWEEN_WORDS = /(\?=)\s+(?==\?)/g;

function bytesOfBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function bytesOfQuoted(text: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '_') bytes.push(32);
    else if (char === '=' && i + 2 < text.length && /^[0-9A-Fa-f]{2}$/.test(text.substring(i + 1, i + 3))) {
      bytes.push(parseInt(text.substring(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Uint8Array.from(bytes);
}

function decodeWord(word: string, charset: string, encoding: string, text: string): string {
  try {
    const bytes = encoding === 'B' || encoding === 'b' ? bytesOfBase64(text) : bytesOfQuoted(text);
    const language = charset.indexOf('*');
    return new TextDecoder(language < 0 ? charset : charset.substring(0, language), { fatal: true }).decode(bytes);
  } catch {
    return word;
  }
}

export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  return value.replace(BETWEEN_WORDS, '$1').replace(ENCODED_WORD, decodeWord);
}
