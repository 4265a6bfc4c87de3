import type { IndicatorKind } from '../indicators';
import { formatIpv4, parseIpv4 } from '../indicators/ipv4-address';
import { parseIpv6, type Ipv6Groups } from '../indicators/ipv6-address';
import type { FeedEntry } from './feed-entry';
import type { FeedContext, FeedRenderer, RpzOptions } from './feed-formats';
import { entriesOfKinds, isCanonicalIp, printableAscii } from './feed-selection';
import { urlParts } from '../indicators/url-parts';

/**
 * `rpz`: a DNS Response Policy Zone (a master file BIND and Unbound load). For every C2 host name
 * (and, unless `urlHosts: false`, every host name of a URL indicator): `name CNAME .` and
 * `*.name CNAME .` (NXDOMAIN for the name and every name below it). For every C2 IP or network,
 * unless `ipTriggers: false`: an rpz-ip trigger (`32.7.100.51.198.rpz-ip CNAME .`), which answers
 * NXDOMAIN to any query whose answer holds that address.
 *
 * Names are checked so the zone always loads: only hub-normalised names (labels of a-z, 0-9, `-`,
 * `_`, punycode for IDNs), fitting in 255 octets under the origin; a name with a label starting
 * `rpz-` (which would read as a trigger of another kind) is left out, and so is a wildcard that
 * would not fit.
 */

const KINDS: readonly IndicatorKind[] = ['c2-hostname', 'url', 'c2-ip'];
const LABEL = /^(?:[a-z0-9_]|[a-z0-9_][a-z0-9_-]{0,61}[a-z0-9_])$/;
const ORIGIN_LABEL = /^(?:[A-Za-z0-9_]|[A-Za-z0-9_][A-Za-z0-9_-]{0,61}[A-Za-z0-9_])$/;
const MAX_WIRE_NAME = 255;
const DEFAULT_TTL = 300;

/** Octets of a name in DNS wire form: a length byte per label, the labels, the root byte. */
function wireLength(labels: readonly string[]): number {
  return labels.reduce((sum, label) => sum + label.length + 1, 1);
}

function absoluteOrigin(origin: string): string {
  return origin.endsWith('.') ? origin : `${origin}.`;
}

/** What is wrong with an RPZ zone origin, completing "the RPZ origin …"; undefined when fine. */
export function rpzOriginProblem(origin: string): string | undefined {
  const labels = absoluteOrigin(origin).slice(0, -1).split('.');
  const bad = labels.find((label) => !ORIGIN_LABEL.test(label));
  if (bad !== undefined) return `${JSON.stringify(origin)} has the label ${JSON.stringify(bad)}; labels are 1 to 63 letters, digits, '-' or '_'`;
  if (wireLength(labels) > MAX_WIRE_NAME - 20) return `${JSON.stringify(origin)} is too long to leave room for names under it`;
  return undefined;
}

function hostOf(entry: FeedEntry, urlHosts: boolean): string | undefined {
  if (entry.kind === 'c2-hostname') return entry.value;
  if (entry.kind !== 'url' || !urlHosts) return undefined;
  const host = urlParts(entry.value)?.hostname;
  return host === undefined || host.startsWith('[') || /^[0-9.]+$/.test(host) ? undefined : host;
}

function ownerNames(host: string, originLabels: readonly string[]): string[] {
  const labels = host.split('.');
  if (!labels.every((label) => LABEL.test(label)) || labels.some((label) => label.startsWith('rpz-'))) return [];
  if (/^[0-9]+$/.test(labels[labels.length - 1] as string)) return []; // not a host name: an all-digit top-level label
  const names: string[] = [];
  if (wireLength([...labels, ...originLabels]) <= MAX_WIRE_NAME) names.push(host);
  if (wireLength(['*', ...labels, ...originLabels]) <= MAX_WIRE_NAME) names.push(`*.${host}`);
  return names;
}

/** The words of an IPv6 address in reverse order with `zz` for the longest run (two or more) of zero words. */
function ipv6TriggerWords(groups: Ipv6Groups): string[] {
  let best = { start: -1, length: 1 };
  for (let start = 0; start < groups.length; ) {
    let end = start;
    while (end < groups.length && groups[end] === 0) end += 1;
    if (end - start > best.length) best = { start, length: end - start };
    start = end === start ? start + 1 : end;
  }
  const words: string[] = [];
  groups.forEach((group, i) => {
    if (i === best.start) words.push('zz');
    else if (i < best.start || i >= best.start + best.length) words.push(group.toString(16));
  });
  return words.reverse();
}

/** The rpz-ip trigger owner name for an address or CIDR network; undefined for anything else. */
export function rpzIpTrigger(value: string): string | undefined {
  if (!isCanonicalIp(value)) return undefined; // host bits set, or not an address at all
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  const prefixText = slash < 0 ? undefined : value.slice(slash + 1);
  if (prefixText !== undefined && !/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  if (address.includes(':')) {
    const groups = parseIpv6(address);
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (!groups.ok || prefix < 1 || prefix > 128) return undefined;
    return `${prefix}.${ipv6TriggerWords(groups.value).join('.')}.rpz-ip`;
  }
  const parsed = parseIpv4(address);
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (!parsed.ok || prefix < 1 || prefix > 32) return undefined;
  return `${prefix}.${formatIpv4(parsed.value).split('.').reverse().join('.')}.rpz-ip`;
}

function zoneComment(text: string): string {
  return `; ${printableAscii(text, 300)}`;
}

function render(entries: readonly FeedEntry[], context: FeedContext): string {
  const options: RpzOptions = context.rpz ?? { origin: 'rpz.invalid.', serial: 1 };
  const origin = absoluteOrigin(options.origin);
  const problem = rpzOriginProblem(origin);
  if (problem !== undefined) throw new RangeError(`the RPZ origin ${problem}`);
  const originLabels = origin.slice(0, -1).split('.');
  const ttl = Number.isSafeInteger(options.ttl) && (options.ttl as number) >= 0 ? (options.ttl as number) : DEFAULT_TTL;
  const serial = ((Math.trunc(options.serial) % 2 ** 32) + 2 ** 32) % 2 ** 32;
  const owners = new Set<string>();
  for (const entry of entriesOfKinds(entries, KINDS)) {
    if (entry.kind === 'c2-ip') {
      const trigger = options.ipTriggers === false ? undefined : rpzIpTrigger(entry.value);
      if (trigger !== undefined) owners.add(trigger);
      continue;
    }
    const host = hostOf(entry, options.urlHosts !== false);
    if (host !== undefined) for (const name of ownerNames(host, originLabels)) owners.add(name);
  }
  const lines = [
    zoneComment(`${context.hubName} response policy zone for collection ${context.collection}`),
    zoneComment(`generated ${context.generatedAt}${context.cursor === undefined ? '' : `, cursor ${context.cursor}`}`),
    `$ORIGIN ${origin}`,
    `$TTL ${ttl}`,
    `@ IN SOA localhost. hostmaster.localhost. ( ${serial} 3600 600 604800 ${ttl} )`,
    '@ IN NS localhost.',
    ...[...owners].map((owner) => `${owner} IN CNAME .`),
  ];
  return `${lines.join('\n')}\n`;
}

export const RPZ_FEED: FeedRenderer = {
  format: 'rpz',
  contentType: 'text/dns; charset=utf-8',
  kinds: KINDS,
  supportsDelta: false,
  render,
};
