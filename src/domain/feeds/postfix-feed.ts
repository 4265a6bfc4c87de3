import type { IndicatorKind } from '../indicators';
import type { FeedEntry } from './feed-entry';
import type { FeedContext, FeedRenderer, PostfixAction, PostfixMap } from './feed-formats';
import { entriesOfKinds, isCanonicalIp, printableAscii } from './feed-selection';

/**
 * `postfix`: one of three lookup tables, chosen by `?map=` (context.postfix.map):
 * - `client`: a `cidr:` table of e-mail sender IPs and networks, for
 *   `smtpd_client_restrictions = check_client_access cidr:/etc/postfix/hub-client.cidr`;
 * - `sender`: an access(5) table of From addresses, built with `postmap` (hash or lmdb), for
 *   `check_sender_access hash:/etc/postfix/hub-sender`;
 * - `header`: a `regexp:` header_checks table of subjects, for
 *   `header_checks = regexp:/etc/postfix/hub-header-checks`.
 * Each line is `key ACTION text` (REJECT unless the context names HOLD, DISCARD or WARN), the
 * text naming the hub and the indicator. A subject becomes `/^Subject:[[:space:]]*…[[:space:]]*$/`
 * with every POSIX ERE metacharacter and the `/` delimiter escaped and each run of whitespace
 * matching any run (folded headers); the match ignores case, Postfix's default. Keys a table
 * cannot hold (whitespace, a leading `#`, `"`, control characters) are left out.
 */

const KINDS_OF_MAP: Readonly<Record<PostfixMap, IndicatorKind>> = { client: 'email-sender-ip', sender: 'email-from', header: 'email-subject' };
/** A key postmap reads as given: no whitespace or control character, no leading `#` (a comment), no `"` (postmap reads quotes). */
const ACCESS_KEY = /^[^\s#"\p{Cc}][^\s"\p{Cc}]*$/u;
/** POSIX extended regular expression metacharacters, and `/`, Postfix's pattern delimiter. */
const ERE_SPECIAL = /[\\^$.|?*+()[\]{}/]/g;

/** A subject as a regexp: table pattern, delimiters included. */
export function subjectPattern(subject: string): string | undefined {
  if (/[\p{Cc}]/u.test(subject.replace(/\t/g, ' ')) || subject.trim() === '') return undefined;
  const body = subject
    .trim()
    .split(/\s+/u)
    .map((word) => word.replace(ERE_SPECIAL, (char) => `\\${char}`))
    .join('[[:space:]]+');
  return `/^Subject:[[:space:]]*${body}[[:space:]]*$/`;
}

function keyOf(entry: FeedEntry, map: PostfixMap): string | undefined {
  switch (map) {
    case 'client':
      return isCanonicalIp(entry.value) ? entry.value : undefined; // cidr: tables refuse host bits
    case 'sender':
      return ACCESS_KEY.test(entry.value) ? entry.value : undefined;
    case 'header':
      return subjectPattern(entry.value);
  }
}

function render(entries: readonly FeedEntry[], context: FeedContext): string {
  const map = context.postfix?.map ?? 'client';
  const action: PostfixAction = context.postfix?.action ?? 'REJECT';
  const hub = printableAscii(context.hubName, 60) || 'taxii-hub';
  const lines = [
    `# ${hub} Postfix ${map} table for collection ${printableAscii(context.collection)}`,
    `# generated ${printableAscii(context.generatedAt)}${context.cursor === undefined ? '' : `, cursor ${printableAscii(context.cursor)}`}`,
  ];
  const seen = new Set<string>();
  for (const entry of entriesOfKinds(entries, [KINDS_OF_MAP[map]])) {
    const key = keyOf(entry, map);
    // One line per key (postmap refuses a duplicate, and keys ignore case): the first in the feed's order.
    if (key === undefined || seen.has(key.toLowerCase())) continue;
    seen.add(key.toLowerCase());
    lines.push(`${key} ${action} ${hub} indicator ${printableAscii(entry.indicatorId, 80)}`);
  }
  return `${lines.join('\n')}\n`;
}

export const POSTFIX_FEED: FeedRenderer = {
  format: 'postfix',
  contentType: 'text/plain; charset=utf-8',
  kinds: ['email-sender-ip', 'email-from', 'email-subject'],
  supportsDelta: false,
  render,
};
