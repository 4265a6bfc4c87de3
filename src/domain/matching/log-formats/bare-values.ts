import type { ObservationKind } from '../match-types';
import type { FormatReader } from './format-reader';
import { looksLikeIp } from './text-scan';

/**
 * One bare value per line (POST /api/match, a list pasted from a report): an IP address, a host name,
 * a URL, an e-mail address or a hash in hex. Anything else (a sentence, a subject) is not guessed at.
 */

const HASH_LENGTHS = new Set([32, 40, 64, 128]);

function isHex(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i) | 0x20;
    if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102))) return false;
  }
  return true;
}

function isHostName(text: string): boolean {
  if (text.indexOf('.') <= 0 || text.length > 253) return false;
  let letters = false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const lower = code | 0x20;
    if (lower >= 97 && lower <= 122) letters = true;
    else if (code > 127) letters = true;
    else if (!((code >= 48 && code <= 57) || code === 45 || code === 46 || code === 95)) return false;
  }
  return letters;
}

/** The kind a bare value is, or undefined. */
export function kindOfValue(text: string): ObservationKind | undefined {
  if (text === '' || text.indexOf(' ') >= 0 || text.indexOf('\t') >= 0) return undefined;
  if (text.includes('://')) return 'url';
  if (HASH_LENGTHS.has(text.length) && isHex(text)) return 'hash';
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (looksLikeIp(bare)) return 'ip';
  const at = text.lastIndexOf('@');
  if (at > 0) return isHostName(text.substring(at + 1)) ? 'email' : undefined;
  return isHostName(text.endsWith('.') ? text.slice(0, -1) : text) ? 'host' : undefined;
}

export function createValuesReader(): FormatReader {
  return {
    read(line, observe) {
      const value = line.trim();
      const kind = kindOfValue(value);
      if (kind === undefined) return false;
      observe(kind, 'value', value);
      return true;
    },
    time: () => undefined,
  };
}
