/**
 * TAXII 2.1 media types and content negotiation (TAXII 2.1 §1.6.8, RFC 7231 §5.3.2).
 *
 * Policy on wildcards: `*\/*` and `application/*` (and a missing Accept header) are accepted and
 * answered with TAXII 2.1, because common HTTP clients send `Accept: *\/*` or
 * `application/json, text/plain, *\/*` by default; 406 is kept for Accept headers that name only
 * other types (application/json alone, version=2.0, or an empty header).
 */

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const TAXII_VERSION = '2.1';
/** What the hub's collections hold (a collection resource's `media_types`). */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly params: ReadonlyMap<string, string>;
  readonly q: number;
}

/** Parses an Accept header into its media ranges; malformed members are skipped. */
export function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const member of splitOutsideQuotes(header, ',')) {
    const [mediaRange = '', ...paramParts] = splitOutsideQuotes(member, ';').map((part) => part.trim());
    const match = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\/([A-Za-z0-9!#$%&'*+.^_`|~-]+)$/.exec(mediaRange);
    if (!match?.[1] || !match[2]) continue;
    const params = new Map<string, string>();
    let q = 1;
    let valid = true;
    for (const part of paramParts) {
      const eq = part.indexOf('=');
      if (eq <= 0) {
        valid = part === '' && valid; // tolerate a stray ';'
        continue;
      }
      const name = part.slice(0, eq).trim().toLowerCase();
      const value = unquote(part.slice(eq + 1).trim());
      if (name === 'q') {
        if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) valid = false;
        q = Number(value);
        break; // parameters after q are accept-extensions, not media type parameters
      }
      params.set(name, value);
    }
    if (valid) ranges.push({ type: match[1].toLowerCase(), subtype: match[2].toLowerCase(), params, q });
  }
  return ranges;
}

/**
 * Whether a client with this Accept header takes a TAXII 2.1 response. The most specific range that
 * matches `application/taxii+json;version=2.1` decides, so `*\/*, application/taxii+json;q=0` refuses.
 */
export function acceptsTaxii21(header: string | undefined): boolean {
  if (header === undefined) return true;
  let best: { specificity: number; q: number } | undefined;
  for (const range of parseAccept(header)) {
    const specificity = taxiiSpecificity(range);
    if (specificity === undefined) continue;
    if (!best || specificity > best.specificity) best = { specificity, q: range.q };
  }
  return best !== undefined && best.q > 0;
}

/** How specifically a range names TAXII 2.1 (higher is more specific), or undefined when it does not. */
function taxiiSpecificity(range: MediaRange): number | undefined {
  if (range.type === '*' && range.subtype === '*') return range.params.size === 0 ? 0 : undefined;
  if (range.type !== 'application') return undefined;
  if (range.subtype === '*') return range.params.size === 0 ? 1 : undefined;
  if (range.subtype !== 'taxii+json') return undefined;
  const version = range.params.get('version');
  const others = [...range.params.keys()].filter((name) => name !== 'version');
  if (others.length > 0) return undefined;
  if (version === undefined) return 2; // "the latest version the server supports"
  return version === TAXII_VERSION ? 3 : undefined;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (ch === separator && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}
