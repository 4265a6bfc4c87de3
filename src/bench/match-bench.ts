import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createMatchIndex, matchEntriesOf, type MatchEntry, type MatchIndex, type ObservationKind } from '../domain/matching';
import { createLogLineReader } from '../domain/matching/log-formats';
import type { TlpLevel } from '../domain/tenancy';

/**
 * Matching logs (issue 14 §Tests): `indicators` active indicators (default 1,000,000, or
 * MATCH_INDEX_BENCH_INDICATORS; mixed kinds, 10% CIDR networks) put into one index, values generated in
 * the hub's normalised form; then generated Postfix (smtpd client, qmgr from, cleanup header
 * warnings, noise) and Squid native lines (GET and CONNECT) with about 2% of the lines carrying a
 * shared value (an address, an address inside a network, a subdomain, a URL, a sender, a subject).
 * Figures: the index's build time and memory (target <= 300 MB for 1M), the lines per second of
 * the 'auto' log reader alone and with the index (target >= 1,000,000 Postfix/Squid lines per
 * second on one core), the lookups per second alone, and matchEntriesOf on hub-written indicators.
 */

export interface MatchBenchOptions {
  readonly indicators?: number;
  /** Seconds each throughput figure runs for (default 3). */
  readonly seconds?: number;
}

const NOW_MICROS = Date.parse('2026-12-06T12:00:00Z') * 1000;
const VALID_UNTIL = NOW_MICROS + 365 * 86_400 * 1_000_000;
const POOL = 200_000;
const HIT_RATE = 0.02;
const COLLECTIONS = ['isac-feed', 'acme-internal', 'partner-share', 'phishing-reports'];
const TLPS: readonly TlpLevel[] = ['green', 'amber', 'amber', 'clear'];
const CAMPAIGNS: readonly (readonly string[])[] = [[], ['Op Winter'], ['Op Winter', 'Invoice Wave'], []];
const PROVIDERS = ['acme-east', 'acme-west', undefined, 'cert-example'];
const HOST_SUFFIXES = ['bad-actor.net', 'evil-cdn.example', 'phish.example.org', 'c2.example.com', 'malware-host.example'];
const BENIGN_SUFFIXES = ['example.com', 'cdn.example.net', 'mail.example.org', 'corp.example', 'static.example.io', 'news.example.co.uk'];
const SQUID_TAIL = ' - HIER_DIRECT/192.0.2.80 text/html';

/** A deterministic 32-bit number for (i, salt): the generated data is the same every run. */
function hash32(i: number, salt: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

const quad = (n: number): string => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const hex = (n: number, digits: number): string => n.toString(16).padStart(digits, '0');
/** A unicast address outside 0/8, 10/8, 127/8 and 224/3. */
const ipv4Of = (i: number, salt: number): number => (((hash32(i, salt) % 0xdd000000) + 0x0b000000) >>> 0);

/** The normalised value and kind of generated indicator i. */
function valueOf(i: number): Pick<MatchEntry, 'kind' | 'value' | 'algorithm'> {
  const bucket = i % 100;
  const ipKind = i % 2 === 0 ? 'c2-ip' : 'email-sender-ip';
  const id36 = i.toString(36);
  if (bucket < 30) return { kind: ipKind, value: quad(ipv4Of(i, 1)) };
  if (bucket < 35) return { kind: ipKind, value: `2001:db8:${hex((hash32(i, 2) & 0xfffe) + 1, 1)}:${hex((hash32(i, 3) & 0xfffe) + 1, 1)}::${hex((i & 0xfffe) + 1, 1)}` };
  if (bucket < 43) {
    const length = [16, 20, 22, 24, 24, 24, 26, 28, 29, 30][hash32(i, 4) % 10] as number;
    const network = (ipv4Of(i, 5) & (0xffffffff << (32 - length))) >>> 0;
    return { kind: ipKind, value: `${quad(network)}/${length}` };
  }
  if (bucket < 45) return { kind: ipKind, value: `2001:db8:${hex((hash32(i, 6) & 0xfffe) + 1, 1)}::/48` };
  if (bucket < 65) return { kind: 'c2-hostname', value: `c2-${id36}.${HOST_SUFFIXES[i % HOST_SUFFIXES.length]}` };
  if (bucket < 78) return { kind: 'url', value: `http://gate-${id36}.${HOST_SUFFIXES[i % HOST_SUFFIXES.length]}/panel/login.php?id=${i}` };
  if (bucket < 86) return { kind: 'email-from', value: `billing.${id36}@${HOST_SUFFIXES[(i + 1) % HOST_SUFFIXES.length]}` };
  if (bucket < 89) return { kind: 'email-subject', value: `Invoice ${id36} overdue - payment required` };
  if (bucket < 91) return { kind: 'email-attachment-name', value: `invoice_${id36}.pdf.exe` };
  let digest = '';
  for (let w = 0; w < 8; w++) digest += hex(hash32(i, 10 + w), 8);
  return { kind: 'file-hash', value: digest, algorithm: 'SHA-256' };
}

const indicatorIdOf = (i: number): string => `indicator--${hex(hash32(i, 20), 8)}-${hex(i >>> 16, 4)}-4${hex(i & 0xfff, 3)}-8000-${hex(i, 12)}`;

function entryOf(i: number): MatchEntry {
  const origin = i % 4;
  const provider = PROVIDERS[origin];
  return {
    indicatorId: indicatorIdOf(i),
    ...valueOf(i),
    collection: COLLECTIONS[origin] as string,
    tlp: TLPS[origin] as TlpLevel,
    campaigns: CAMPAIGNS[origin] as readonly string[],
    ...(provider === undefined ? {} : { provider }),
    validUntilMicros: VALID_UNTIL,
    confidence: 50 + (i % 50),
  };
}

// ---- log lines ----

/** A shared value of a kind for a hit: an indicator number of that bucket range. */
function sharedOf(count: number, n: number, from: number, to: number): number {
  const block = Math.floor((hash32(n, 30) % count) / 100) * 100;
  return Math.min(count - 1, block + from + (hash32(n, 31) % (to - from)));
}

function benignHost(n: number): string {
  return `www${hash32(n, 40) % 50_000}.${BENIGN_SUFFIXES[n % BENIGN_SUFFIXES.length]}`;
}

function postfixLine(n: number, count: number): string {
  const hit = hash32(n, 41) / 2 ** 32 < HIT_RATE;
  const queue = `4QX${hex(hash32(n, 42), 8).toUpperCase()}z9`;
  const time = `Dec  6 10:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')} mx1`;
  const ip = hit && n % 3 === 0 ? (valueOf(sharedOf(count, n, 0, 30)).value as string) : quad(ipv4Of(n, 43));
  const sender = hit && n % 3 === 1 ? valueOf(sharedOf(count, n, 78, 86)).value : `user${hash32(n, 44) % 100_000}@${BENIGN_SUFFIXES[n % BENIGN_SUFFIXES.length]}`;
  const subject = hit && n % 3 === 2 ? valueOf(sharedOf(count, n, 86, 89)).value : `Meeting notes ${hash32(n, 45) % 10_000}`;
  const client = `${benignHost(n)}[${ip}]`;
  switch (n % 8) {
    case 0:
      return `${time} postfix/smtpd[2102]: connect from ${client}`;
    case 1:
      return `${time} postfix/smtpd[2102]: ${queue}: client=${client}`;
    case 2:
      return `${time} postfix/cleanup[2103]: ${queue}: message-id=<${hash32(n, 46)}@${BENIGN_SUFFIXES[n % 6]}>`;
    case 3:
      return `${time} postfix/cleanup[2103]: ${queue}: warning: header Subject: ${subject} from ${client}; from=<${sender}> to=<ap@corp.example> proto=ESMTP helo=<${benignHost(n)}>`;
    case 4:
      return `${time} postfix/qmgr[1187]: ${queue}: from=<${sender}>, size=${hash32(n, 47) % 100_000}, nrcpt=1 (queue active)`;
    case 5:
      return `${time} postfix/lmtp[2110]: ${queue}: to=<ap@corp.example>, relay=mailstore.corp.example[private/dovecot-lmtp], delay=0.9, delays=0.5/0.01/0.1/0.29, dsn=2.0.0, status=sent (250 2.0.0 Saved)`;
    case 6:
      return `${time} postfix/qmgr[1187]: ${queue}: removed`;
    default:
      return `${time} postfix/smtpd[2102]: disconnect from ${client} ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5`;
  }
}

function squidLine(n: number, count: number): string {
  const hit = hash32(n, 51) / 2 ** 32 < HIT_RATE;
  const prefix = `${1796551201 + n}.${String(n % 1000).padStart(3, '0')}    ${hash32(n, 52) % 1000} 192.0.2.${n % 200}`;
  if (n % 4 === 3) {
    const host = hit ? `static.${valueOf(sharedOf(count, n, 45, 65)).value}` : benignHost(n);
    return `${prefix} TCP_TUNNEL/200 8812 CONNECT ${host}:443 - HIER_DIRECT/${quad(ipv4Of(n, 53))} -`;
  }
  if (hit && n % 2 === 0) return `${prefix} TCP_MISS/200 1234 GET ${valueOf(sharedOf(count, n, 65, 78)).value}${SQUID_TAIL}`;
  if (hit) return `${prefix} TCP_MISS/200 1234 GET http://${valueOf(sharedOf(count, n, 45, 65)).value}/index.html${SQUID_TAIL}`;
  return `${prefix} TCP_MISS/200 ${hash32(n, 54) % 100_000} GET http://${benignHost(n)}/assets/app-${hash32(n, 55) % 1000}.js?v=${n % 97}${SQUID_TAIL}`;
}

// ---- measuring ----

function collectGarbage(): void {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
}

function memory(): { heap: number; rss: number } {
  collectGarbage();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed + usage.external, rss: usage.rss };
}

const MB = 1024 * 1024;
const mb = (bytes: number): string => `${(bytes / MB).toFixed(0)} MB`;
const rate = (count: number, ms: number): string => `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;

/** Runs `round` (one pass over the pool) until `seconds` have passed; items per second. */
function throughput(seconds: number, items: number, round: () => void): number {
  round(); // warm-up
  const started = performance.now();
  let rounds = 0;
  do {
    round();
    rounds++;
  } while (performance.now() - started < seconds * 1000);
  return (rounds * items * 1000) / (performance.now() - started);
}

function linesPerSecond(lines: readonly string[], index: MatchIndex | undefined, seconds: number): { perSecond: number; hitLines: number } {
  const reader = createLogLineReader('auto');
  let hits = 0;
  const onHit = () => hits++;
  const observe = index === undefined ? () => undefined : (kind: ObservationKind, field: string, raw: string) => index.lookup(kind, field, raw, NOW_MICROS, onHit);
  let hitLines = 0;
  for (const line of lines) {
    const before = hits;
    reader.read(line, observe);
    if (hits > before) hitLines++;
  }
  const perSecond = throughput(seconds, lines.length, () => {
    for (const line of lines) reader.read(line, observe);
  });
  return { perSecond, hitLines };
}

function matchEntriesRate(count: number): number {
  const meta = { collection: 'isac-feed', tlp: 'amber' as const, campaigns: ['Op Winter'], provider: 'acme-east' };
  const indicators = Array.from({ length: count }, (_, i) => {
    const { kind, value } = valueOf(i * 100 + (i % 4 === 0 ? 0 : i % 4 === 1 ? 50 : i % 4 === 2 ? 70 : 95));
    const pattern =
      kind === 'c2-ip' || kind === 'email-sender-ip' ? `[ipv4-addr:value = '${value}']` : kind === 'c2-hostname' ? `[domain-name:value = '${value}']` : kind === 'url' ? `[url:value = '${value}']` : `[file:hashes.'SHA-256' = '${value}']`;
    return { type: 'indicator', spec_version: '2.1', id: indicatorIdOf(i), created: '2026-11-01T00:00:00.000Z', modified: '2026-11-01T00:00:00.000Z', pattern, pattern_type: 'stix', valid_from: '2026-11-01T00:00:00Z', valid_until: '2027-11-01T00:00:00Z' };
  });
  const started = performance.now();
  let entries = 0;
  for (const indicator of indicators) entries += matchEntriesOf(indicator, meta).length;
  if (entries !== count) throw new Error(`matchEntriesOf gave ${entries} entries for ${count} indicators`);
  return (count * 1000) / (performance.now() - started);
}

export async function runMatchBench(options: MatchBenchOptions, print: (line: string) => void): Promise<void> {
  const count = options.indicators ?? Number(process.env.MATCH_INDEX_BENCH_INDICATORS ?? 1_000_000);
  const seconds = options.seconds ?? 3;
  print(`Matching logs — ${count.toLocaleString('en-US')} active indicators (30% IPv4, 5% IPv6, 10% networks, 20% hosts, 13% URLs, 8% senders, 5% subjects/attachments, 9% SHA-256), one core`);
  // Throughput on a shared machine says little without its load.
  print(`  (load average ${(loadavg()[0] ?? 0).toFixed(1)} on ${cpus().length} cores at the start)`);

  const before = memory();
  const index = createMatchIndex();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const entry = entryOf(i);
    index.put(entry.indicatorId, [entry]);
  }
  const buildMs = performance.now() - started;
  const after = memory();
  if (index.size !== count) throw new Error(`the index holds ${index.size} indicators, not ${count}`);
  const heap = after.heap - before.heap;
  print(`  index build (put one by one):  ${(buildMs / 1000).toFixed(1)} s (${rate(count, buildMs)})`);
  // The target is the index's: the process around it (here the whole bench, elsewhere the CLI) adds its own.
  print(`  index memory: heap + external ${mb(heap)} (${Math.round(heap / count)} bytes per indicator); process RSS ${mb(before.rss)} -> ${mb(after.rss)} (+${mb(after.rss - before.rss)}) — target <= 300 MB for 1,000,000: ${heap <= 300 * MB * (count / 1_000_000) ? 'met' : 'not met'}`);

  const postfix = Array.from({ length: POOL }, (_, n) => postfixLine(n, count));
  const squid = Array.from({ length: POOL }, (_, n) => squidLine(n, count));
  const mixed = postfix.flatMap((line, n) => [line, squid[n] as string]);
  for (const [name, lines] of [['Postfix', postfix], ['Squid', squid], ['Postfix + Squid interleaved', mixed]] as const) {
    const readOnly = linesPerSecond(lines, undefined, seconds);
    const matched = linesPerSecond(lines, index, seconds);
    const verdict = matched.perSecond >= 1_000_000 ? 'met' : 'not met';
    print(`  ${name}: reader alone ${Math.round(readOnly.perSecond).toLocaleString('en-US')} lines/s; reader + index ${Math.round(matched.perSecond).toLocaleString('en-US')} lines/s (${((matched.hitLines / lines.length) * 100).toFixed(1)}% of lines hit) — target >= 1,000,000: ${verdict}`);
  }

  const observations: [ObservationKind, string][] = [];
  const collect = createLogLineReader('auto');
  for (const line of mixed) collect.read(line, (kind, _field, raw) => observations.push([kind, raw]));
  const noHit = () => undefined;
  const lookups = throughput(seconds, observations.length, () => {
    for (const [kind, raw] of observations) index.lookup(kind, 'bench', raw, NOW_MICROS, noHit);
  });
  print(`  lookups alone (the observations of those lines, ${(observations.length / mixed.length).toFixed(1)} per line): ${Math.round(lookups).toLocaleString('en-US')}/s`);
  print(`  matchEntriesOf (hub-written STIX indicators): ${Math.round(matchEntriesRate(Math.min(100_000, count))).toLocaleString('en-US')} indicators/s`);
}
