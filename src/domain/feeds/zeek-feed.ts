import type { IndicatorKind } from '../indicators';
import type { FeedEntry } from './feed-entry';
import type { FeedContext, FeedRenderer } from './feed-formats';
import { entriesOfKinds, isCanonicalIp } from './feed-selection';
import { urlParts } from '../indicators/url-parts';

/**
 * `zeek`: an Intel framework file (Zeek's input framework, ASCII reader): a `#fields` line, then one
 * tab-separated line per value: indicator, indicator_type, meta.source, meta.desc, meta.url.
 * A field never holds a tab, a line break or another control character: those, and `\`, are
 * written as `\xNN`, which the reader decodes; so are a `#` starting the line (a comment to the
 * reader) and a whole field reading `-` or `(empty)` (the reader's unset and empty markers). An
 * absent field is `-`.
 *
 * Types: C2 and sender IPs Intel::ADDR (networks Intel::SUBNET), host names Intel::DOMAIN, URLs
 * Intel::URL (without the scheme, as Zeek sees them: host, port when not the default, path and
 * query), From addresses Intel::EMAIL, hashes Intel::FILE_HASH, attachment names Intel::FILE_NAME.
 * Subjects have no Intel type.
 */

const KINDS: readonly IndicatorKind[] = ['c2-ip', 'email-sender-ip', 'c2-hostname', 'url', 'email-from', 'file-hash', 'email-attachment-name'];

export const ZEEK_INTEL_HEADER = '#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url';

const ESCAPED = /[\\\p{Cc}\u2028\u2029]/gu;

function hexEscape(char: string): string {
  return [...new TextEncoder().encode(char)].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('');
}

/** One field as the ASCII reader reads it back to exactly `text`. */
export function zeekField(text: string): string {
  if (text === '') return '-';
  let field = text.replace(ESCAPED, hexEscape);
  if (field === '-' || field === '(empty)') field = `${hexEscape(field[0] as string)}${field.slice(1)}`;
  return field;
}

function indicatorField(text: string): string {
  const field = zeekField(text);
  return field.startsWith('#') ? `\\x23${field.slice(1)}` : field;
}

function urlWithoutScheme(value: string): string | undefined {
  const url = urlParts(value);
  return url === undefined ? undefined : `${url.host}${url.pathAndQuery}`;
}

function typed(entry: FeedEntry): { readonly indicator: string; readonly type: string } | undefined {
  switch (entry.kind) {
    case 'c2-ip':
    case 'email-sender-ip':
      if (!isCanonicalIp(entry.value)) return undefined; // Zeek refuses the line of an address it cannot read
      return { indicator: entry.value, type: entry.value.includes('/') ? 'Intel::SUBNET' : 'Intel::ADDR' };
    case 'c2-hostname':
      return { indicator: entry.value, type: 'Intel::DOMAIN' };
    case 'url': {
      const indicator = urlWithoutScheme(entry.value);
      return indicator === undefined ? undefined : { indicator, type: 'Intel::URL' };
    }
    case 'email-from':
      return { indicator: entry.value, type: 'Intel::EMAIL' };
    case 'file-hash':
      return { indicator: entry.value, type: 'Intel::FILE_HASH' };
    case 'email-attachment-name':
      return { indicator: entry.value, type: 'Intel::FILE_NAME' };
    default:
      return undefined;
  }
}

function description(entry: FeedEntry): string {
  const parts = [`${entry.kind} ${entry.indicatorId}`, `tlp ${entry.tlp}`];
  if (entry.confidence !== undefined) parts.push(`confidence ${entry.confidence}`);
  if (entry.campaigns.length > 0) parts.push(`campaign ${entry.campaigns.join('; ')}`);
  return parts.join(', ');
}

function render(entries: readonly FeedEntry[], context: FeedContext): string {
  const lines = [ZEEK_INTEL_HEADER];
  const seen = new Set<string>();
  for (const entry of entriesOfKinds(entries, KINDS)) {
    const found = typed(entry);
    if (found === undefined || found.indicator === '') continue;
    // Zeek keeps one item per indicator and type per source: the first (lowest indicator id) stands.
    const key = `${found.type}\t${found.indicator}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const url = context.linkBase === undefined ? '' : `${context.linkBase}${entry.indicatorId}`;
    lines.push([indicatorField(found.indicator), found.type, zeekField(context.hubName), zeekField(description(entry)), zeekField(url)].join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

export const ZEEK_FEED: FeedRenderer = {
  format: 'zeek',
  contentType: 'text/plain; charset=utf-8',
  kinds: KINDS,
  supportsDelta: false,
  render,
};
