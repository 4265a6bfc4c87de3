import { normaliseEmailAddress } from '../indicators/email-address';
import { normaliseHostName } from '../indicators/host-name';
import { urlParts } from '../indicators/url-parts';
import { normaliseUrl } from '../indicators/url-value';
import { FoldTable, foldHash, foldStep } from './fold-table';
import { HOST_NAME, HostWalk, NEEDS_THE_HUB, NUMBERS } from './host-walk';
import { IpNetworks } from './ip-networks';
import { readIp } from './ip-reader';
import { MatchStore } from './match-store';
import type { MatchEntry, MatchHit, MatchIndex, ObservationKind, ObservedField } from './match-types';
import { readUrlHost, type UrlHost } from './url-host';

/**
 * The matcher's index. Entries sit in typed-array tables keyed by their normalised value (IP networks
 * by address bits and prefix length, host names, e-mail addresses and digests in case-blind string
 * tables, URLs, subjects and file names in maps); an observation is read in place, as logged, and
 * normalised only as far as it must be to compare: a host is walked once from its end, hashing each
 * parent domain on the way (host-walk.ts), and an e-mail address goes on from its domain's hash; a
 * URL is parsed the WHATWG way only when its host has a URL indicator or is written unusually.
 * Nothing is allocated unless something matches, or the value needs the hub's own normalisation
 * (an internationalised name, a URL with an odd host).
 */

type How = MatchHit['how'];

const NONE = -1;
const HASH_LENGTHS = new Set([32, 40, 64, 128]);

/** Clears the bits of `from` after `length` into `to` (IPv6: 4 words). */
function maskIpv6(to: Uint32Array, from: Uint32Array, length: number): void {
  for (let w = 0; w < 4; w++) {
    const keep = length - w * 32;
    const word = from[w] as number;
    to[w] = keep >= 32 ? word : keep <= 0 ? 0 : (word & (0xffffffff << (32 - keep))) >>> 0;
  }
}

const withoutFragment = (url: string): string => {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
};

/** A URL indicator's host as its URLs are counted by: the WHATWG host name, without a trailing dot. */
const urlHostKey = (url: string): string | undefined => {
  const host = urlParts(url)?.hostname;
  return host !== undefined && host.endsWith('.') ? host.slice(0, -1) : host;
};

export function createMatchIndex(): MatchIndex {
  const store = new MatchStore();
  const ipv4 = new IpNetworks(32);
  const ipv6 = new IpNetworks(128);
  const hosts = new FoldTable();
  const emails = new FoldTable(true);
  const hashes = new FoldTable();
  /** URL indicators by canonical URL without its fragment (never sent to a server, so never logged). */
  const urls = new Map<string, number>();
  /** How many URL indicators each host has: a logged URL whose host has none cannot match one. */
  const urlHosts = new FoldTable();
  const subjects = new Map<string, number>();
  const filenames = new Map<string, number>();

  const words = new Uint32Array(4);
  const network = new Uint32Array(4);
  const urlHost: UrlHost = { start: 0, end: 0, scheme: false, plain: false };
  const walk = new HostWalk();

  // ---- entries into their keys' lists ----

  /** The head of a key's list after linking the entry in (delta 1) or out (-1); heads are entry + 1, 0 for none. */
  const linked = (head: number, entry: number, delta: 1 | -1): number => {
    const next = store.nextInKey;
    if (delta === 1) {
      next[entry] = head - 1;
      return entry + 1;
    }
    if (head - 1 === entry) return (next[entry] as number) + 1;
    for (let e = head - 1; e !== NONE; e = next[e] as number) {
      if (next[e] === entry) {
        next[e] = next[entry] as number;
        break;
      }
    }
    return head;
  };

  const relinkInMap = (map: Map<string, number>, key: string, entry: number, delta: 1 | -1): void => {
    const head = linked(map.get(key) ?? 0, entry, delta);
    if (head === 0) map.delete(key);
    else map.set(key, head);
  };

  /** With entry NONE, counts instead of linking. */
  const relinkInFold = (table: FoldTable, key: string, entry: number, delta: 1 | -1): void => {
    const slot = table.find(key, 0, key.length, foldHash(key, 0, key.length));
    const before = slot < 0 ? 0 : table.valueAt(slot);
    const head = entry === NONE ? before + delta : linked(before, entry, delta);
    if (slot < 0) {
      if (head !== 0) table.add(key, head);
    } else if (head === 0) table.removeAt(slot);
    else table.setAt(slot, head);
  };

  const relinkIp = (value: string, entry: number, delta: 1 | -1): void => {
    const slash = value.indexOf('/');
    const version = readIp(value, 0, slash < 0 ? value.length : slash, network);
    if (version === 0) return;
    const ipv6Text = value.includes(':');
    let length = slash < 0 ? (ipv6Text ? 128 : 32) : Number(value.slice(slash + 1));
    let networks = version === 4 ? ipv4 : ipv6;
    if (version === 4 && ipv6Text) {
      // ::ffff:a.b.c.d/n is the IPv4 network a.b.c.d/(n-96): logs write such an address either way.
      if (length >= 96) length -= 96;
      else {
        network[2] = 0xffff;
        networks = ipv6;
      }
    }
    const { table } = networks;
    const hash = table.hash(network, length);
    const slot = table.find(network, length, hash);
    const head = linked(slot < 0 ? 0 : table.valueAt(slot), entry, delta);
    if (slot < 0) {
      table.add(network, length, hash, head);
      networks.counted(network, length, 1);
    } else if (head === 0) {
      table.removeAt(slot);
      networks.counted(network, length, -1);
    } else table.setAt(slot, head);
  };

  const relink = (entry: number, delta: 1 | -1): void => {
    const value = store.value(entry);
    switch (store.kind(entry)) {
      case 'c2-ip':
      case 'email-sender-ip':
        return relinkIp(value, entry, delta);
      case 'c2-hostname':
        return relinkInFold(hosts, value, entry, delta);
      case 'email-from':
        return relinkInFold(emails, value, entry, delta);
      case 'file-hash':
        return relinkInFold(hashes, value, entry, delta);
      case 'url': {
        relinkInMap(urls, withoutFragment(value), entry, delta);
        const host = urlHostKey(value);
        if (host !== undefined) relinkInFold(urlHosts, host, NONE, delta);
        return;
      }
      case 'email-subject':
        return relinkInMap(subjects, value, entry, delta);
      case 'email-attachment-name':
        return relinkInMap(filenames, value, entry, delta);
    }
  };

  const remove = (indicatorId: string): void => {
    const indicator = store.indicatorSlot(indicatorId);
    if (indicator === NONE) return;
    for (let e = store.firstEntryOf(indicator); e !== NONE; e = store.nextEntryOf(e)) relink(e, -1);
    store.freeEntries(indicator);
    store.dropIndicator(indicator);
  };

  const put = (indicatorId: string, entries: readonly MatchEntry[]): void => {
    remove(indicatorId);
    if (entries.length === 0) return;
    const indicator = store.addIndicator(indicatorId);
    for (const entry of entries) relink(store.addEntry(indicator, entry), 1);
  };

  // ---- lookups ----

  // The observation being looked up. Hits are collected and delivered once the look-up is done, so
  // that onHit may itself look something up.
  let kind: ObservationKind = 'ip';
  let field: ObservedField = '';
  let raw = '';
  /** Now, in microseconds: in a typed array, as a number this large kept in a variable would be boxed per look-up. */
  const now = new Float64Array(1);
  let pending: MatchHit[] = [];
  /** The hash of the host the last lookupHost walked (HOST_NAME or NUMBERS). */
  const hostHash = new Int32Array(1);

  /** Collects a hit for each live entry of a key's list. */
  const emit = (head: number, how: How): void => {
    for (let e = head - 1; e !== NONE; e = store.nextInKey[e] as number) {
      if (store.live(e, now[0] as number)) pending.push({ entry: store.entry(e), kind, field, observed: raw, how });
    }
  };

  const probeIpv4 = (length: number, how: How | undefined): void => {
    const address = words[3] as number;
    network[3] = length === 0 ? 0 : length === 32 ? address : (address & (0xffffffff << (32 - length))) >>> 0;
    const { table } = ipv4;
    const slot = table.find(network, length, table.hash(network, length));
    if (slot >= 0) emit(table.valueAt(slot), how ?? (length === 32 ? 'exact' : 'cidr'));
  };

  /** The address in `words` against each network length that could hold it. */
  const lookupAddress = (version: 4 | 6, how: How | undefined): void => {
    if (version === 4) {
      if (ipv4.table.size === 0) return;
      let mask = ipv4.blockMask(words);
      if (mask > 0xff && !ipv4.fineHas(words)) mask &= 0xff; // lengths /24../32: none in this /24
      while (mask !== 0) {
        const bit = 31 - Math.clz32(mask);
        mask &= ~(1 << bit);
        probeIpv4(16 + bit, how);
      }
      const { lengths } = ipv4;
      for (let k = 0; k < lengths.length; k++) probeIpv4(lengths[k] as number, how);
      return;
    }
    const { table, lengths } = ipv6;
    for (let k = 0; k < lengths.length; k++) {
      const length = lengths[k] as number;
      maskIpv6(network, words, length);
      const slot = table.find(network, length, table.hash(network, length));
      if (slot >= 0) emit(table.valueAt(slot), how ?? (length === 128 ? 'exact' : 'cidr'));
    }
  };

  const lookupIp = (text: string, start: number, end: number, how: How | undefined): void => {
    const version = readIp(text, start, end, words);
    if (version !== 0) lookupAddress(version, how);
  };

  /** Emits what the last walk found: the host itself, then its parents from the nearest. */
  const emitWalk = (how: How | undefined): void => {
    if (walk.whole !== 0) emit(walk.whole, how ?? 'exact');
    for (let k = walk.parentCount - 1; k >= 0; k--) emit(walk.parents[k] as number, how ?? 'subdomain');
  };

  /**
   * A host as logged in text[start, end): an IP address, an ASCII name, or one the hub must
   * normalise. Returns what the walk found (HOST_NAME leaves the name's hash in walk.hash), or 0.
   */
  const lookupHost = (text: string, start: number, end: number, how: How | undefined): number => {
    if (end > start && text.charCodeAt(end - 1) === 46) end--;
    if (end <= start) return 0;
    if (text.charCodeAt(start) === 91) return lookupIp(text, start, end, how), 0;
    const colon = text.indexOf(':', start);
    if (colon >= 0 && colon < end) {
      const second = text.indexOf(':', colon + 1);
      if (second >= 0 && second < end) return lookupIp(text, start, end, how), 0;
      for (let i = colon + 1; i < end; i++) {
        const c = text.charCodeAt(i);
        if (c < 48 || c > 57) return 0;
      }
      return lookupHost(text, start, colon, how); // host:port
    }
    const found = walk.walk(text, start, end, hosts);
    hostHash[0] = walk.hash;
    if (found === HOST_NAME) emitWalk(how);
    else if (found === NUMBERS) lookupIp(text, start, end, how);
    else if (found === NEEDS_THE_HUB && hosts.size > 0) {
      const host = normaliseHostName(text.slice(start, end));
      if (host.ok && walk.walk(host.value, 0, host.value.length, hosts, true) === HOST_NAME) emitWalk(how);
      return 0;
    }
    return found;
  };

  /** Normalises a URL as the hub does and looks it up; the canonical form, or undefined when the hub would refuse it. */
  const lookupCanonicalUrl = (raw: string, start: number, end: number): string | undefined => {
    const url = normaliseUrl(raw.slice(start, end));
    if (!url.ok) return undefined;
    const head = urls.get(withoutFragment(url.value));
    if (head !== undefined) emit(head, 'exact');
    return url.value;
  };

  /** A logged URL: equal to a URL indicator in the hub's canonical form, and its host. */
  const lookupUrl = (raw: string, start: number, end: number): void => {
    readUrlHost(raw, start, end, urlHost);
    const { start: hostStart, end: hostEnd, plain } = urlHost;
    if (!urlHost.scheme || plain) {
      const found = lookupHost(raw, hostStart, hostEnd, 'url-host');
      if (plain && urls.size > 0) {
        // Only a URL whose host has a URL indicator is worth its canonical form.
        const keyEnd = raw.charCodeAt(hostEnd - 1) === 46 ? hostEnd - 1 : hostEnd;
        const hash = found === HOST_NAME || found === NUMBERS ? (hostHash[0] as number) : foldHash(raw, hostStart, keyEnd);
        if (urlHosts.find(raw, hostStart, keyEnd, hash) >= 0) lookupCanonicalUrl(raw, start, end);
      }
      return;
    }
    const canonical = lookupCanonicalUrl(raw, start, end);
    if (canonical === undefined) {
      lookupHost(raw, hostStart, hostEnd, 'url-host');
      return;
    }
    const hostname = urlParts(canonical)?.hostname;
    if (hostname !== undefined) lookupHost(hostname, 0, hostname.length, 'url-host');
  };

  const lookupEmail = (raw: string, start: number, end: number): void => {
    if (end - start >= 2 && raw.charCodeAt(start) === 60 && raw.charCodeAt(end - 1) === 62) {
      start++;
      end--;
    }
    const at = raw.lastIndexOf('@', end - 1);
    if (at <= start || at >= end - 1 || end - start > 254) return;
    const found = lookupHost(raw, at + 1, end, 'email-domain');
    if (emails.size === 0) return;
    if (found === HOST_NAME && raw.charCodeAt(end - 1) !== 46) {
      // The address's hash goes on from its domain's: the domain as written is the normalised one, case aside.
      let h = foldStep(hostHash[0] as number, 64);
      for (let i = at - 1; i >= start; i--) h = foldStep(h, raw.charCodeAt(i));
      const slot = emails.find(raw, start, end, h);
      if (slot >= 0) emit(emails.valueAt(slot), 'exact');
      return;
    }
    const address = normaliseEmailAddress(raw.slice(start, end));
    if (!address.ok) return;
    const value = address.value;
    const slot = emails.find(value, 0, value.length, foldHash(value, 0, value.length));
    if (slot >= 0) emit(emails.valueAt(slot), 'exact');
  };

  const lookupHash = (raw: string, start: number, end: number): void => {
    if (hashes.size === 0 || !HASH_LENGTHS.has(end - start)) return;
    const slot = hashes.find(raw, start, end, foldHash(raw, start, end));
    if (slot >= 0) emit(hashes.valueAt(slot), 'exact');
  };

  const lookupExact = (map: Map<string, number>, text: string): void => {
    const head = map.size === 0 ? undefined : map.get(text);
    if (head !== undefined) emit(head, 'exact');
  };

  return {
    put,
    remove,
    get size() {
      return store.size;
    },
    lookup(observationKind, observedField, value, nowMicros, onHit) {
      if (typeof value !== 'string') return;
      kind = observationKind;
      field = observedField;
      raw = value;
      now[0] = nowMicros;
      // Values are compared as logged, spaces around them aside (subjects and file names: as logged).
      let start = 0;
      let end = value.length;
      while (start < end && value.charCodeAt(start) <= 32) start++;
      while (end > start && value.charCodeAt(end - 1) <= 32) end--;
      switch (observationKind) {
        case 'ip':
          lookupIp(value, start, end, undefined);
          break;
        case 'host':
          lookupHost(value, start, end, undefined);
          break;
        case 'url':
          lookupUrl(value, start, end);
          break;
        case 'email':
          lookupEmail(value, start, end);
          break;
        case 'hash':
          lookupHash(value, start, end);
          break;
        case 'subject':
          lookupExact(subjects, value);
          break;
        case 'filename':
          lookupExact(filenames, value);
          break;
      }
      if (pending.length === 0) return;
      const hits = pending;
      pending = [];
      for (const hit of hits) onHit(hit);
    },
  };
}
