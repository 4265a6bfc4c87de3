import type { HashAlgorithm, IndicatorKind } from '../indicators';
import type { FeedEntry } from './feed-entry';
import type { FeedContext, FeedRenderer } from './feed-formats';
import { entriesOfKinds, isCanonicalIp, printableAscii } from './feed-selection';
import { urlParts } from '../indicators/url-parts';
import { DEFAULT_SID_BASE, DEFAULT_SID_COUNT, SidAllocator, revOf, suricataContent, suricataMessage } from './suricata-syntax';

/**
 * `suricata`: a rule file for Suricata 6/7.
 * - C2 IP or network: `alert ip any any <> ADDRESS any` (traffic to or from it);
 * - C2 host name: three rules, on `dns.query`, `tls.sni` and `http.host`, each an exact match of
 *   the whole name (`startswith; endswith`; Suricata lower-cases `http.host`, so its content is
 *   lower case);
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

const URL_SCHEMES_SEEN = new Set(['http:', 'https:', 'ws:', 'wss:']);


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

/** Writes one rule line; `key` names the rule for its sid. */
type Emit = (key: string, header: string, msg: string, body: string, rev: number, metadata: string) => void;

function rulesOfEntry(entry: FeedEntry, hub: string, emit: Emit): void {
  const rev = revOf(entry.version);
  const metadata = metadataOf(entry);
  const key = (rule: string): string => `${entry.indicatorId} ${rule} ${entry.value}`;
  switch (entry.kind) {
    case 'c2-ip':
      if (isCanonicalIp(entry.value)) emit(key('ip'), `alert ip any any <> ${entry.value} any`, describe(hub, 'C2 IP', entry), '', rev, metadata);
      return;
    case 'c2-hostname':
      if (entry.value === '') return; // Suricata refuses an empty content
      emit(key('dns'), 'alert dns any any -> any any', describe(hub, 'DNS query for C2 host', entry), exact('dns.query', entry.value, true), rev, metadata);
      emit(key('tls'), 'alert tls any any -> any any', describe(hub, 'TLS SNI of C2 host', entry), exact('tls.sni', entry.value, true), rev, metadata);
      emit(key('http'), 'alert http any any -> any any', describe(hub, 'HTTP Host of C2 host', entry), exact('http.host', entry.value.toLowerCase(), false), rev, metadata);
      return;
    case 'url': {
      const url = urlParts(entry.value);
      if (url === undefined || !URL_SCHEMES_SEEN.has(url.protocol)) return;
      const body = `${exact('http.host', url.hostname.toLowerCase(), false)} ${exact('http.uri.raw', url.pathAndQuery, false)}`;
      emit(key('url'), 'alert http any any -> any any', describe(hub, 'URL', entry), body, rev, metadata);
      return;
    }
    default:
      return;
  }
}

function hashListRules(algorithms: ReadonlySet<HashAlgorithm>, hub: string, prefix: string, collection: string, emit: Emit): void {
  for (const [algorithm, hash] of Object.entries(HASH_KEYWORDS) as [HashAlgorithm, { keyword: string; file: string }][]) {
    if (!algorithms.has(algorithm)) continue;
    const list = `${prefix}-${hash.file}.list`;
    for (const protocol of ['http', 'smtp']) {
      const msg = `${hub} file whose ${algorithm} is on ${list}`;
      emit(`hash-list ${collection} ${algorithm} ${protocol}`, `alert ${protocol} any any -> any any`, msg, `${hash.keyword}:${list};`, 1, `taxii_hub_hash_list ${hash.file}`);
    }
  }
}

function safePrefix(prefix: string | undefined, collection: string): string {
  const cleaned = (prefix ?? `taxii-hub-${collection}`).replace(/[^A-Za-z0-9._-]/g, '');
  return cleaned === '' || cleaned.startsWith('.') ? 'taxii-hub' : cleaned;
}

/** One pass, rule by rule (a million indicators make millions of rules: nothing is kept per rule but its sid bit). */
function render(entries: readonly FeedEntry[], context: FeedContext): string {
  const hub = printableAscii(context.hubName, 60) || 'taxii-hub';
  const sids = new SidAllocator(context.suricata?.sidBase ?? DEFAULT_SID_BASE, context.suricata?.sidCount ?? DEFAULT_SID_COUNT);
  const lines = [
    `# ${hub} Suricata rules for collection ${printableAscii(context.collection)}`,
    `# generated ${printableAscii(context.generatedAt)}${context.cursor === undefined ? '' : `, cursor ${printableAscii(context.cursor)}`}`,
  ];
  const emit: Emit = (key, header, msg, body, rev, metadata) => {
    lines.push(`${header} (msg:"${suricataMessage(msg)}";${body === '' ? '' : ` ${body}`} sid:${sids.sidOf(key)}; rev:${rev}; metadata:${metadata};)`);
  };
  const algorithms = new Set<HashAlgorithm>();
  for (const entry of entriesOfKinds(entries, KINDS)) {
    if (entry.kind === 'file-hash' && entry.algorithm !== undefined) algorithms.add(entry.algorithm);
    else rulesOfEntry(entry, hub, emit);
  }
  hashListRules(algorithms, hub, safePrefix(context.suricata?.hashListPrefix, context.collection), context.collection, emit);
  return `${lines.join('\n')}\n`;
}

export const SURICATA_FEED: FeedRenderer = {
  format: 'suricata',
  contentType: 'text/plain; charset=utf-8',
  kinds: KINDS,
  supportsDelta: false,
  render,
};
