import { createHash } from 'node:crypto';
import type { IndicatorInput } from '../domain/indicators/indicator-kinds';
import type { TlpLevel } from '../domain/tenancy';
import { seededRandom } from './seeded-random';

/**
 * The analysis benchmarks' data (issue 15): what a year of targeted-attack sharing looks like to the
 * hub, as unified submissions ("waves") in time order over the four demo collections and their
 * providers. Pure and deterministic (seeded): the same count gives the same waves.
 *
 * - Campaigns: each has its infrastructure (1-3 sender IPs in its own /24, From addresses on 1-2
 *   domains, subjects, attachment names, C2 hosts under its own domain, C2 IPs, a payload) and runs
 *   3-9 waves over about ten days, reported by providers of 1-3 collections; each wave reuses part of
 *   the infrastructure and adds its own URLs (on the C2 hosts) and hashes. Now and then a provider
 *   reports the sender /24 instead of the address, or names the campaign in its submission.
 * - A few very popular values that many campaigns share (a shared-hosting C2 address, a file-sharing
 *   host, a generic attachment name): the pivot's worst fan-out.
 * - Singletons: bulk feeds of 500 unrelated values (hashes, addresses, hosts, URLs), about 45%.
 * The same value from the same provider in the same collection a second time is an update (a new
 * version of its indicator), as the hub's deduplication makes it.
 */

export const ANALYSIS_COLLECTIONS = {
  acmeInternal: '948f89cd-d3ab-4b2e-bb60-bdffe702b793',
  isacFeed: '735988d1-ca7e-4645-96dd-38a00e72e2f4',
  allianceExchange: 'd6213043-77da-4b4e-82b6-d9aceb68b6c6',
  initechPrivate: '71c9a6ae-b2d5-4a7d-a4d7-5aeaf89c76e1',
} as const;

/** Who provides where (demo configuration), with the collection's markings and their odds. */
export const SOURCES: readonly { readonly collection: string; readonly providers: readonly string[]; readonly markings: readonly [TlpLevel, number][] }[] = [
  { collection: ANALYSIS_COLLECTIONS.acmeInternal, providers: ['acme-hq', 'acme-east'], markings: [['amber', 0.85], ['green', 0.1], ['red', 0.05]] },
  { collection: ANALYSIS_COLLECTIONS.isacFeed, providers: ['acme-hq', 'globex-hq', 'initech', 'vandelay'], markings: [['green', 0.8], ['amber', 0.2]] },
  { collection: ANALYSIS_COLLECTIONS.allianceExchange, providers: ['acme-hq', 'acme-east', 'globex-hq', 'globex-lab'], markings: [['amber', 0.9], ['green', 0.1]] },
  { collection: ANALYSIS_COLLECTIONS.initechPrivate, providers: ['initech'], markings: [['amber+strict', 1]] },
];

/** A provider's user (demo configuration), who submits its waves. */
export const SUBMITTERS: Readonly<Record<string, string>> = {
  'acme-hq': 'alice',
  'acme-east': 'bob',
  'globex-hq': 'dave',
  'globex-lab': 'erin',
  initech: 'frank',
  vandelay: 'heidi',
};

/** TLP:RED waves name these readers (besides the provider itself). */
const RED_RECIPIENTS: Readonly<Record<string, readonly string[]>> = { 'acme-hq': ['acme-east'], 'acme-east': ['acme-hq'] };

export interface Wave {
  readonly collection: string;
  readonly provider: string;
  readonly tlp: TlpLevel;
  readonly recipients: readonly string[];
  /** The campaign name the provider gives (unified submission's `campaign`), when it names one. */
  readonly campaign?: string;
  /** When it was submitted (simulated). */
  readonly atMillis: number;
  /** The campaign it belongs to in truth (-1 for a bulk feed of singletons). */
  readonly truth: number;
  readonly items: readonly IndicatorInput[];
}

export const POPULAR = {
  sharedHostingIp: '198.51.100.77',
  fileSharingHost: 'files.cloudshare-cdn.com',
  attachment: 'Invoice.pdf',
} as const;

const DAY = 86_400_000;
const SPAN_DAYS = 60;
const FEED_SIZE = 500;
/** Share of indicators in campaign waves (the rest: bulk feeds of singletons). */
const CAMPAIGN_SHARE = 0.55;
const MEAN_WAVE_ITEMS = 12.5;
const MEAN_WAVES = 6;

const LOCAL_PARTS = ['billing', 'hr', 'it-support', 'payroll', 'ceo.office', 'noreply', 'accounts', 'security'];
const LURES = ['Invoice', 'Payment advice', 'Payroll update', 'Password expiry', 'Shipping notice', 'Tax refund', 'Contract', 'Meeting minutes'];
const WORDS = ['secure', 'update', 'office', 'login', 'portal', 'cloud', 'docs', 'mail', 'verify', 'sync'];
const TLDS = ['com', 'net', 'org', 'info', 'biz'];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const pick = <T>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
const between = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

/** One campaign's infrastructure: a pure function of its number. */
export interface Campaign {
  readonly index: number;
  readonly senderIps: readonly string[];
  readonly senderNetwork: string;
  readonly fromAddresses: readonly string[];
  readonly subjects: readonly string[];
  readonly attachments: readonly string[];
  readonly c2Hosts: readonly string[];
  readonly c2Ips: readonly string[];
  readonly payload: string;
  /** The campaign's collections (1-3), reported by their providers. */
  readonly collections: readonly number[];
  readonly startMillis: number;
  readonly waves: number;
  /** Shares a popular value now and then. */
  readonly popular: boolean;
}

export function campaignOf(index: number, startOfSpan: number): Campaign {
  const random = seededRandom(0x15c0ffee ^ index);
  const a = (index >> 8) & 255;
  const b = index & 255;
  const prefix = 23 + (index >> 16);
  const domain = (n: number) => `${pick(random, WORDS)}-${pick(random, WORDS)}${index}${n > 0 ? `-${n}` : ''}.${pick(random, TLDS)}`;
  const fromDomains = Array.from({ length: between(random, 1, 2) }, (_, n) => domain(n));
  const c2Domain = domain(7);
  const collections = [...new Set(Array.from({ length: between(random, 1, 3) }, () => Math.floor(random() * SOURCES.length)))];
  return {
    index,
    senderIps: Array.from({ length: between(random, 1, 3) }, (_, k) => `${prefix}.${a}.${b}.${10 + k * 17}`),
    senderNetwork: `${prefix}.${a}.${b}.0/24`,
    fromAddresses: Array.from({ length: between(random, 1, 4) }, () => `${pick(random, LOCAL_PARTS)}@${pick(random, fromDomains)}`),
    subjects: Array.from({ length: between(random, 1, 3) }, (_, k) => `${pick(random, LURES)} ${index}-${k}: action required`),
    attachments: Array.from({ length: between(random, 1, 3) }, (_, k) => `${pick(random, LURES).replace(/ /g, '_')}_${index}${k > 0 ? `_${k}` : ''}.${pick(random, ['pdf.exe', 'docm', 'xlsm', 'zip', 'iso'])}`),
    c2Hosts: Array.from({ length: between(random, 1, 3) }, (_, k) => `${pick(random, ['cdn', 'api', 'static', 'gw'])}${k}.${c2Domain}`),
    c2Ips: Array.from({ length: between(random, 1, 2) }, (_, k) => `${prefix + 100}.${a}.${b}.${20 + k}`),
    payload: sha256(`payload ${index}`),
    collections,
    startMillis: startOfSpan + Math.floor(random() * (SPAN_DAYS - 10) * DAY),
    waves: between(random, 3, 2 * MEAN_WAVES - 3),
    popular: random() < 0.05,
  };
}

function markingOf(random: () => number, source: (typeof SOURCES)[number], provider: string): { tlp: TlpLevel; recipients: readonly string[] } {
  let roll = random();
  for (const [tlp, odds] of source.markings) {
    roll -= odds;
    if (roll < 0) return { tlp, recipients: tlp === 'red' ? [provider, ...(RED_RECIPIENTS[provider] ?? [])].sort() : [] };
  }
  return { tlp: source.markings[0]?.[0] ?? 'amber', recipients: [] };
}

/** The items of wave `w` of a campaign: part of its infrastructure, and URLs and hashes of its own. */
export function campaignWaveItems(c: Campaign, w: number): IndicatorInput[] {
  const random = seededRandom((c.index * 31 + w) ^ 0x5eed);
  const items: IndicatorInput[] = [];
  const some = <T>(xs: readonly T[], max: number) => [...new Set(Array.from({ length: between(random, 1, Math.min(max, xs.length)) }, () => pick(random, xs)))];
  if (random() < 0.1) items.push({ kind: 'email-sender-ip', value: c.senderNetwork });
  else for (const ip of some(c.senderIps, 2)) items.push({ kind: 'email-sender-ip', value: ip });
  for (const from of some(c.fromAddresses, 2)) items.push({ kind: 'email-from', value: from });
  if (random() < 0.8) items.push({ kind: 'email-subject', value: pick(random, c.subjects) });
  items.push({ kind: 'email-attachment-name', value: c.popular && random() < 0.5 ? POPULAR.attachment : pick(random, c.attachments) });
  for (const host of some(c.c2Hosts, 2)) items.push({ kind: 'c2-hostname', value: host });
  items.push({ kind: 'c2-ip', value: c.popular && random() < 0.5 ? POPULAR.sharedHostingIp : pick(random, c.c2Ips) });
  const urlHost = c.popular && random() < 0.3 ? POPULAR.fileSharingHost : pick(random, c.c2Hosts);
  items.push({ kind: 'url', value: `https://${pick(random, c.c2Hosts)}/panel/login.php` });
  for (let k = between(random, 1, 3); k > 0; k--) items.push({ kind: 'url', value: `https://${urlHost}/d/${sha256(`${c.index} ${w} ${k}`).slice(0, 12)}/${pick(random, c.attachments)}` });
  if (random() < 0.7) items.push({ kind: 'file-hash', algorithm: 'sha256', value: c.payload });
  for (let k = between(random, 0, 2); k > 0; k--) items.push({ kind: 'file-hash', algorithm: 'sha256', value: sha256(`dropper ${c.index} ${w} ${k}`) });
  return items;
}

/** Item `i` of the singleton feeds: an unrelated value of one of four kinds. */
export function singletonItem(i: number): IndicatorInput {
  const h = sha256(`singleton ${i}`);
  switch (i % 20) {
    case 0: case 1: case 2: case 3:
      return { kind: 'c2-ip', value: `${160 + ((i >> 24) & 31)}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
    case 4: case 5: case 6:
      return { kind: 'c2-hostname', value: `${h.slice(0, 10)}.${pick(() => (i % 97) / 97, TLDS)}` };
    case 7: case 8: case 9:
      return { kind: 'url', value: `http://${h.slice(10, 18)}.example-${i % 5000}.net/${h.slice(18, 26)}.php` };
    default:
      return { kind: 'file-hash', algorithm: 'sha256', value: h };
  }
}

export interface Dataset {
  readonly campaigns: number;
  readonly waves: readonly Wave[];
  /** Items over every wave (indicator versions the load writes, updates included). */
  readonly items: number;
  readonly startMillis: number;
  readonly endMillis: number;
}

/**
 * About `indicators` items in waves sorted by time, over the SPAN_DAYS days before `endMillis`.
 * Items are generated with the waves (a million takes a few seconds and a few hundred MB).
 */
export function generateDataset(indicators: number, endMillis: number): Dataset {
  const startMillis = endMillis - SPAN_DAYS * DAY;
  const random = seededRandom(15);
  const campaigns = Math.max(1, Math.round((indicators * CAMPAIGN_SHARE) / (MEAN_WAVE_ITEMS * MEAN_WAVES)));
  const waves: Wave[] = [];
  let items = 0;
  for (let n = 0; n < campaigns; n++) {
    const c = campaignOf(n, startMillis);
    const named = new Map<string, string>(); // provider -> its name for the campaign (when it names it)
    for (let w = 0; w < c.waves; w++) {
      const source = SOURCES[c.collections[w % c.collections.length] as number] as (typeof SOURCES)[number];
      const provider = pick(random, source.providers);
      if (!named.has(provider)) named.set(provider, random() < 0.4 ? `Operation ${pick(random, WORDS)}-${n} (${provider})` : '');
      const name = named.get(provider);
      const waveItems = campaignWaveItems(c, w);
      items += waveItems.length;
      waves.push({ collection: source.collection, provider, ...markingOf(random, source, provider), ...(name ? { campaign: name } : {}), atMillis: c.startMillis + Math.floor(w * (10 * DAY / c.waves) + random() * 3_600_000), truth: n, items: waveItems });
    }
  }
  let next = 0;
  while (items < indicators) {
    const size = Math.min(FEED_SIZE, indicators - items);
    const source = pick(random, SOURCES);
    const provider = pick(random, source.providers);
    const feedItems = Array.from({ length: size }, () => singletonItem(next++));
    items += size;
    waves.push({ collection: source.collection, provider, ...markingOf(random, source, provider), atMillis: startMillis + Math.floor(random() * SPAN_DAYS * DAY), truth: -1, items: feedItems });
  }
  waves.sort((x, y) => x.atMillis - y.atMillis);
  return { campaigns, waves, items, startMillis, endMillis };
}
