import { INDICATOR_KINDS } from '../indicators';
import type { FeedEntry } from './feed-entry';
import type { FeedContext, FeedRenderer } from './feed-formats';
import { entriesOfKinds } from './feed-selection';

/**
 * `text`: one value per line, each value once (in the order given), nothing else (no header, no comments), as
 * firewall external lists (EDLs) and proxies read them. Meant for one kind (`context.kind`, and
 * for file hashes one algorithm: a Suricata hash list); every kind when none is named.
 */

const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/u;

function render(entries: readonly FeedEntry[], context: FeedContext): string {
  const selected = entriesOfKinds(entries, context.kind === undefined ? INDICATOR_KINDS : [context.kind]).filter(
    (entry) => context.algorithm === undefined || entry.algorithm === context.algorithm,
  );
  const values = [...new Set(selected.map((entry) => entry.value))].filter((value) => value !== '' && !LINE_BREAK.test(value));
  return values.map((value) => `${value}\n`).join('');
}

export const TEXT_FEED: FeedRenderer = {
  format: 'text',
  contentType: 'text/plain; charset=utf-8',
  kinds: INDICATOR_KINDS,
  supportsDelta: false,
  render,
};
