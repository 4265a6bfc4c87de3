import type { HashAlgorithm, IndicatorKind } from '../indicators';
import type { FeedEntry } from './feed-entry';
import type { FeedContext, FeedRenderer } from './feed-formats';
import { entriesOfKinds, printableAscii } from './feed-selection';
import { DEFAULT_SID_BASE, DEFAULT_SID_COUNT, allocateSids, revOf, suricataContent, suricataMessage } from './suricata-syntax';

/**
 * `suricata`: a rule file for Suricata 6/7.
 * - C2 IP or network: `alert ip any any <> ADDRESS any` (traffic to or from it);
 * - C2 host name: three rules, on `dns.query`, `tls.sni` and `http.host`, each an exact match of
 *   the whole name (`startswith; endswith`);
 * - URL (http, https, ws, wss): `http.host` exactly the host and `http.uri.raw` exactly the path
 *   and query as the hub normalised them (an https URL matches only where TLS is inspected);
 * - file hashes: Suricata compares file hashes with lists kept in files (`filemd5:`,
 *   `filesha1:`, `filesha256:`), so the feed holds, per algorithm present, one rule on HTTP and
 *   one on SMTP that name the list `<prefix>-md5.list` (`-sha1`, `-sha256`; the prefix is
 *   `taxii-hub-<collection>` unless configured, so two collections' lists and sids differ); the list itself is
 *   the `text` feed with `?kind=file-hash&algorithm=MD5`. SHA-512 and SHA-3 have no Suricata keyword.
 * Every rule has a stable `sid` (from the indicator id, the rule and the value; see allocateSids),
 * `rev` (the second of the indicator version) and the indicator in `metadata`.
 */

const KINDS: readonly IndicatorKind[] = ['c2-ip', 'c2-hostname', 'url', 'file-hash'];

const HASH_KEYWORDS: Partial<Record<HashAlgorithm, { readonly keyword: string; readonly file: string }>> = {
  MD5: { keyword: 'filemd5', file: 'md5' },
  'SHA-1': { keyword: 'filesha1', file: 'sha1' },
  'SHA-256': { keyword: 'filesha256', file: 'sha256' },
};

/** What a normalised IP value looks like; anything else never reaches a rule header. */
const IP_OR_NETWORK = /^[0-9A-Fa-f.:]+(?:\/[0-9]{1,3})?$/;

const URL_SCHEMES_SEEN = new Set(['http:', 'https:', 'ws:', 'wss:']);

interface Rule {
  /** Unique in the file: what the sid is derived from. */
  readonly key: string;
  readonly header: string;
  readonly msg: string;
  /** The detection options, each ending in `;`. */
  readonly body: string;
  readonly rev: number;
  readonly metadata: string;
}

function exact(buffer: string, value: string, nocase: boolean): string {
  return `${buffer}; content:"${suricataContent(value)}";${nocase ? ' nocase;' : ''} startswith; endswith;`;
}

function metadataOf(entry: FeedEntry): string {
  const parts = [`taxii_hub_indicator ${entry.indicatorId}`, `taxii_hub_version ${entry.version}`, `tlp ${entry.tlp}`];
  if (entry.confidence !== undefined) parts.push(`confidence ${entry.confidence}`);
  return parts.join(', ');
}

function describe(hub: string, what: string, entry: FeedEntry): string {
  const campaigns = entry.campaigns.length === 0 ? '' : ` (campaign ${entry.campaigns.join(', ')})`;
  return `${hub} ${what} ${entry.value}${campaigns}`;
}

function rulesOfEntry(entry: FeedEntry, hub: string): Rule[] {
  const base = { rev: revOf(entry.version), metadata: metadataOf(entry) };
  const key = (rule: string): string => `${entry.indicatorId} ${rule} ${entry.value}`;
  switch (entry.kind) {
    case 'c2-ip':
      if (!IP_OR_NETWORK.test(entry.value)) return [];
      return [{ ...base, key: key('ip'), header: `alert ip any any <> ${entry.value} any`, msg: describe(hub, 'C2 IP', entry), body: '' }];
    case 'c2-hostname':
      return [
        { ...base, key: key('dns'), header: 'alert dns any any -> any any', msg: describe(hub, 'DNS query for C2 host', entry), body: exact('dns.query', entry.value, true) },
        { ...base, key: key('tls'), header: 'alert tls any any -> any any', msg: describe(hub, 'TLS SNI of C2 host', entry), body: exact('tls.sni', entry.value, true) },
        { ...base, key: key('http'), header: 'alert http any any -> any any', msg: describe(hub, 'HTTP Host of C2 host', entry), body: exact('http.host', entry.value, false) },
      ];
    case 'url': {
      let url: URL;
      try {
        url = new URL(entry.value);
      } catch {
        return [];
      }
      if (!URL_SCHEMES_SEEN.has(url.protocol) || url.hostname === '') return [];
      const body = `${exact('http.host', url.hostname, false)} ${exact('http.uri.raw', `${url.pathname}${url.search}`, false)}`;
      return [{ ...base, key: key('url'), header: 'alert http any any -> any any', msg: describe(hub, 'URL', entry), body }];
    }
    default:
      return [];
  }
}

function hashListRules(entries: readonly FeedEntry[], hub: string, prefix: string, collection: string): Rule[] {
  const algorithms = new Set(entries.filter((entry) => entry.kind === 'file-hash').map((entry) => entry.algorithm));
  const rules: Rule[] = [];
  for (const [algorithm, hash] of Object.entries(HASH_KEYWORDS) as [HashAlgorithm, { keyword: string; file: string }][]) {
    if (!algorithms.has(algorithm)) continue;
    const list = `${prefix}-${hash.file}.list`;
    for (const protocol of ['http', 'smtp']) {
      rules.push({
        key: `hash-list ${collection} ${algorithm} ${protocol}`,
        header: `alert ${protocol} any any -> any any`,
        msg: `${hub} file whose ${algorithm} is on ${list}`,
        body: `${hash.keyword}:${list};`,
        rev: 1,
        metadata: `taxii_hub_hash_list ${hash.file}`,
      });
    }
  }
  return rules;
}

function safePrefix(prefix: string | undefined, collection: string): string {
  const cleaned = (prefix ?? `taxii-hub-${collection}`).replace(/[^A-Za-z0-9._-]/g, '');
  return cleaned === '' || cleaned.startsWith('.') ? 'taxii-hub' : cleaned;
}

function render(entries: readonly FeedEntry[], context: FeedContext): string {
  const hub = printableAscii(context.hubName, 60) || 'taxii-hub';
  const selected = entriesOfKinds(entries, KINDS);
  const rules = [...selected.flatMap((entry) => rulesOfEntry(entry, hub)), ...hashListRules(selected, hub, safePrefix(context.suricata?.hashListPrefix, context.collection), context.collection)];
  const sids = allocateSids(
    rules.map((rule) => rule.key),
    context.suricata?.sidBase ?? DEFAULT_SID_BASE,
    context.suricata?.sidCount ?? DEFAULT_SID_COUNT,
  );
  const written = new Set<string>();
  const lines = [
    `# ${hub} Suricata rules for collection ${printableAscii(context.collection)}`,
    `# generated ${printableAscii(context.generatedAt)}${context.cursor === undefined ? '' : `, cursor ${printableAscii(context.cursor)}`}`,
  ];
  for (const rule of rules) {
    if (written.has(rule.key)) continue; // one indicator listing one value twice
    written.add(rule.key);
    const body = rule.body === '' ? '' : ` ${rule.body}`;
    lines.push(`${rule.header} (msg:"${suricataMessage(rule.msg)}";${body} sid:${sids.get(rule.key) ?? 0}; rev:${rule.rev}; metadata:${rule.metadata};)`);
  }
  return `${lines.join('\n')}\n`;
}

export const SURICATA_FEED: FeedRenderer = {
  format: 'suricata',
  contentType: 'text/plain; charset=utf-8',
  kinds: KINDS,
  supportsDelta: false,
  render,
};
