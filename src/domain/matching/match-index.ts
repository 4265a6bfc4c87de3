import { normaliseEmailAddress } from '../indicators/email-address';
import { normaliseHostName } from '../indicators/host-name';
import { urlParts } from '../indicators/url-parts';
import { normaliseUrl } from '../indicators/url-value';
import { FOLD_SEED, FoldTable, foldHash, foldStep } from './fold-table';
import { readIp } from './ip-reader';
import { MatchStore } from './match-store';
import type { MatchEntry, MatchHit, MatchIndex, ObservationKind, ObservedField } from './match-types';
import { readUrlHost, type UrlHost } from './url-host';
import { WordTable } from './word-table';

/**
 * The matcher's index. Entries sit in typed-array tables keyed by their normalised value (IP networks
 * by address bits and prefix length, host names, e-mail addresses and digests in case-blind string
 * tables, URLs, subjects and file names in maps); an observation is read in place, as logged, and
 * normalised only as far as it must be to compare: a host is walked from its end, hashing each
 * suffix on the way; a URL is parsed the WHATWG way only when its host has a URL indicator or is
 * written unusually. Nothing is allocated unless something matches, or the value needs the hub's
 * own normalisation (an internationalised name, a URL with an odd host, a percent-encoded host).
 */

type How = MatchHit['how'];
type OnHit = (hit: MatchHit) => void;

const NONE = -1;
const HASH_LENGTHS = new Set([32, 40, 64, 128]);

const ASCII_NAME = 1;
const NUMBERS = 2;
const NOT_A_NAME = 3;
const NEEDS_THE_HUB = 4;

/**
 * What an ASCII host in text[start, end) (no trailing dot) is, read as the hub's host names are:
 * a name it would accept as written apart from case (labels of 1-63 letters, digits, '-' and '_',
 * not starting or ending with '-', two labels at least, 253 characters at most, the last one not all
 * digits); only digits and dots (an IPv4 address, or nothing); nothing the hub would accept; or a
 * name only the hub's normalisation can tell (anything else, an internationalised or 'xn--' label).
 */
function asciiHost(text: string, start: number, end: number): number {
  let labels = 1;
  let label = start;
  let digitsOnly = true;
  let allDigits = true;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 46 : text.charCodeAt(i);
    if (c === 46) {
      const length = i - label;
      if (length === 0 || length > 63) return NOT_A_NAME;
      if (text.charCodeAt(label) === 45 || text.charCodeAt(i - 1) === 45) return NOT_A_NAME;
      if (length >= 4 && (text.charCodeAt(label) | 0x20) === 120 && (text.charCodeAt(label + 1) | 0x20) === 110 && text.charCodeAt(label + 2) === 45 && text.charCodeAt(label + 3) === 45) {
        return NEEDS_THE_HUB; // punycode, valid or not
      }
      if (i < end) {
        labels++;
        label = i + 1;
        digitsOnly = true;
      }
      continue;
    }
    if (c >= 48 && c <= 57) continue;
    digitsOnly = false;
    allDigits = false;
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 95)) return NEEDS_THE_HUB;
  }
  if (allDigits) return NUMBERS;
  if (digitsOnly || labels < 2 || end - start > 253) return NOT_A_NAME;
  return ASCII_NAME;
}

/** A tag per IP table key: the prefix length (a host: 32 or 128). */
class IpNetworks {
  readonly table: WordTable;
  private readonly keysPerLength: Int32Array;
  /** The prefix lengths with at least one key, longest first. */
  lengths = new Int32Array(0);

  constructor(readonly bits: 32 | 128) {
    this.table = new WordTable(bits === 32 ? 1 : 4);
    this.keysPerLength = new Int32Array(bits + 1);
  }

  counted(length: number, delta: 1 | -1): void {
    const before = this.keysPerLength[length] as number;
    this.keysPerLength[length] = before + delta;
    if (before === 0 || before + delta === 0) {
      const present: number[] = [];
      for (let l = this.bits; l >= 0; l--) if ((this.keysPerLength[l] as number) > 0) present.push(l);
      this.lengths = Int32Array.from(present);
    }
  }
}

/** Clears the bits of `words` after `length`, for a network of that length (4 words; IPv4 in word 3). */
function maskTo(words: Uint32Array, from: Uint32Array, length: number, bits: 32 | 128): void {
  const first = bits === 32 ? 3 : 0;
  for (let w = first; w < 4; w++) {
    const keep = length - (w - first) * 32;
    const word = from[w] as number;
    words[w] = keep >= 32 ? word : keep <= 0 ? 0 : (word & (0xffffffff << (32 - keep))) >>> 0;
  }
}

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

  // ---- keys of entries ----

  const withoutFragment = (url: string): string => {
    const hash = url.indexOf('#');
    return hash < 0 ? url : url.slice(0, hash);
  };

  /** The network of an IP entry's value into `network`; its table and prefix length, or undefined. */
  const ipKeyOf = (value: string): { readonly networks: IpNetworks; readonly length: number } | undefined => {
    const slash = value.indexOf('/');
    const end = slash < 0 ? value.length : slash;
    const version = readIp(value, 0, end, network);
    if (version === 0) return undefined;
    const ipv6Text = value.includes(':');
    let length = slash < 0 ? (ipv6Text ? 128 : 32) : Number(value.slice(slash + 1));
    if (version === 4 && ipv6Text) {
      if (length >= 96) length -= 96; // ::ffff:a.b.c.d/n is IPv4: logs write it either way
      else return (network[2] = 0xffff), { networks: ipv6, length };
    }
    return { networks: version === 4 ? ipv4 : ipv6, length };
  };

  /** Links an entry into the list of its key, or unlinks it (delta -1). */
  const relink = (entry: number, delta: 1 | -1): void => {
    const value = store.value(entry);
    const kind = store.kind(entry);
    const link = (head: number): number => {
      if (delta === 1) {
        store.nextInKey[entry] = head - 1;
        return entry + 1;
      }
      if (head - 1 === entry) return (store.nextInKey[entry] as number) + 1;
      for (let e = head - 1; e !== NONE; e = store.nextInKey[e] as number) {
        if (store.nextInKey[e] === entry) {
          store.nextInKey[e] = store.nextInKey[entry] as number;
          break;
        }
      }
      return head;
    };
    const inMap = (map: Map<string, number>, key: string) => {
      const head = link(map.get(key) ?? 0);
      if (head === 0) map.delete(key);
      else map.set(key, head);
    };
    const inFold = (table: FoldTable, key: string, counting = false) => {
      const slot = table.find(key, 0, key.length, foldHash(key, 0, key.length));
      const head = counting ? (slot < 0 ? 0 : table.valueAt(slot)) + delta : link(slot < 0 ? 0 : table.valueAt(slot));
      if (slot < 0) {
        if (head !== 0) table.add(key, head);
      } else if (head === 0) table.removeAt(slot);
      else table.setAt(slot, head);
    };
    switch (kind) {
      case 'c2-ip':
      case 'email-sender-ip': {
        const key = ipKeyOf(value);
        if (key === undefined) return;
        const { table } = key.networks;
        const hash = table.hash(network, key.length);
        const slot = table.find(network, key.length, hash);
        const head = link(slot < 0 ? 0 : table.valueAt(slot));
        if (slot < 0) {
          table.add(network, key.length, hash, head);
          key.networks.counted(key.length, 1);
        } else if (head === 0) {
          table.removeAt(slot);
          key.networks.counted(key.length, -1);
        } else table.setAt(slot, head);
        return;
      }
      case 'c2-hostname':
        return inFold(hosts, value);
      case 'email-from':
        return inFold(emails, value);
      case 'file-hash':
        return inFold(hashes, value);
      case 'url': {
        inMap(urls, withoutFragment(value));
        const host = urlParts(value)?.hostname;
        if (host !== undefined) inFold(urlHosts, host, true);
        return;
      }
      case 'email-subject':
        return inMap(subjects, value);
      case 'email-attachment-name':
        return inMap(filenames, value);
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

  /** Calls onHit for each live entry of a key's list. */
  const emit = (head: number, how: How, kind: ObservationKind, field: ObservedField, raw: string, now: number, onHit: OnHit): void => {
    for (let e = head - 1; e !== NONE; e = store.nextInKey[e] as number) {
      if (store.live(e, now)) onHit({ entry: store.entry(e), kind, field, observed: raw, how });
    }
  };

  /** The address in `words` against every network length held. */
  const lookupAddress = (version: 4 | 6, how: How | undefined, kind: ObservationKind, field: ObservedField, raw: string, now: number, onHit: OnHit): void => {
    const networks = version === 4 ? ipv4 : ipv6;
    const { table, lengths, bits } = networks;
    for (let k = 0; k < lengths.length; k++) {
      const length = lengths[k] as number;
      maskTo(network, words, length, bits);
      const slot = table.find(network, length, table.hash(network, length));
      if (slot >= 0) emit(table.valueAt(slot), how ?? (length === bits ? 'exact' : 'cidr'), kind, field, raw, now, onHit);
    }
  };

  const lookupIp = (text: string, start: number, end: number, how: How | undefined, kind: ObservationKind, field: ObservedField, raw: string, now: number, onHit: OnHit): void => {
    const version = readIp(text, start, end, words);
    if (version !== 0) lookupAddress(version, how, kind, field, raw, now, onHit);
  };

  /** A normalised host name (lower case, ASCII) in text[start, end): itself, then each parent domain. */
  const walkHost = (text: string, start: number, end: number, how: How | undefined, kind: ObservationKind, field: ObservedField, raw: string, now: number, onHit: OnHit): void => {
    if (hosts.size === 0) return;
    let h = FOLD_SEED;
    let dots = 0;
    let previous = 46;
    for (let i = end - 1; i >= start; i--) {
      const c = text.charCodeAt(i);
      if (c === 46) {
        if (previous === 46) return; // an empty label: not a host name
        // A host indicator has two labels at least: the last label alone is never one.
        if (dots++ > 0) {
          const slot = hosts.find(text, i + 1, end, h);
          if (slot >= 0) emit(hosts.valueAt(slot), how ?? 'subdomain', kind, field, raw, now, onHit);
        }
      }
      h = foldStep(h, c);
      previous = c;
    }
    if (previous === 46 || dots === 0) return;
    const slot = hosts.find(text, start, end, h);
    if (slot >= 0) emit(hosts.valueAt(slot), how ?? 'exact', kind, field, raw, now, onHit);
  };

  /** A host as logged in text[start, end): an IP address, an ASCII name, or one the hub must normalise. */
  const lookupHost = (text: string, start: number, end: number, how: How | undefined, kind: ObservationKind, field: ObservedField, raw: string, now: number, onHit: OnHit): void => {
    if (end > start && text.charCodeAt(end - 1) === 46) end--;
    if (end <= start) return;
    if (text.charCodeAt(start) === 91) return lookupIp(text, start, end, how, kind, field, raw, now, onHit);
    const colon = text.indexOf(':', start);
    if (colon >= 0 && colon < end) {
      const second = text.indexOf(':', colon + 1);
      if (second >= 0 && second < end) return lookupIp(text, start, end, how, kind, field, raw, now, onHit);
      for (let i = colon + 1; i < end; i++) {
        const c = text.charCodeAt(i);
        if (c < 48 || c > 57) return;
      }
      return lookupHost(text, start, colon, how, kind, field, raw, now, onHit); // host:port
    }
    switch (asciiHost(text, start, end)) {
      case ASCII_NAME:
        return walkHost(text, start, end, how, kind, field, raw, now, onHit);
      case NUMBERS:
        return lookupIp(text, start, end, how, kind, field, raw, now, onHit);
      case NOT_A_NAME:
        return;
    }
    if (hosts.size === 0) return;
    const host = normaliseHostName(text.slice(start, end));
    if (host.ok) walkHost(host.value, 0, host.value.length, how, kind, field, raw, now, onHit);
  };

  /** A logged URL: equal to a URL indicator in the hub's canonical form, and its host. */
  const lookupUrl = (raw: string, start: number, end: number, field: ObservedField, now: number, onHit: OnHit): void => {
    readUrlHost(raw, start, end, urlHost);
    const { start: hostStart, end: hostEnd } = urlHost;
    if (!urlHost.scheme || urlHost.plain) {
      if (urlHost.plain && urls.size > 0) {
        // Only a URL whose host has a URL indicator is worth its canonical form.
        // Keyed by the WHATWG host name, which keeps a trailing dot as the plain host does.
        const slot = urlHosts.find(raw, hostStart, hostEnd, foldHash(raw, hostStart, hostEnd));
        if (slot >= 0) lookupCanonicalUrl(raw, start, end, field, now, onHit);
      }
      return lookupHost(raw, hostStart, hostEnd, 'url-host', 'url', field, raw, now, onHit);
    }
    const canonical = urls.size > 0 || hosts.size > 0 || ipv4.table.size > 0 || ipv6.table.size > 0 ? lookupCanonicalUrl(raw, start, end, field, now, onHit) : undefined;
    if (canonical === undefined) return lookupHost(raw, hostStart, hostEnd, 'url-host', 'url', field, raw, now, onHit);
    const hostname = urlParts(canonical)?.hostname;
    if (hostname !== undefined) lookupHost(hostname, 0, hostname.length, 'url-host', 'url', field, raw, now, onHit);
  };

  /** Normalises a URL as the hub does and looks it up; the canonical form, or undefined when the hub would refuse it. */
  const lookupCanonicalUrl = (raw: string, start: number, end: number, field: ObservedField, now: number, onHit: OnHit): string | undefined => {
    const url = normaliseUrl(raw.slice(start, end));
    if (!url.ok) return undefined;
    const head = urls.get(withoutFragment(url.value));
    if (head !== undefined) emit(head, 'exact', 'url', field, raw, now, onHit);
    return url.value;
  };

  const lookupEmail = (raw: string, start: number, end: number, field: ObservedField, now: number, onHit: OnHit): void => {
    if (end - start >= 2 && raw.charCodeAt(start) === 60 && raw.charCodeAt(end - 1) === 62) {
      start++;
      end--;
    }
    const at = raw.lastIndexOf('@', end - 1);
    if (at <= start || at >= end - 1 || end - start > 254) return;
    let plain = raw.charCodeAt(end - 1) !== 46;
    for (let i = at + 1; i < end && plain; i++) {
      const c = raw.charCodeAt(i);
      plain = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95;
    }
    if (plain) {
      if (emails.size > 0) {
        const slot = emails.find(raw, start, end, foldHash(raw, start, end));
        if (slot >= 0) emit(emails.valueAt(slot), 'exact', 'email', field, raw, now, onHit);
      }
      return lookupHost(raw, at + 1, end, 'email-domain', 'email', field, raw, now, onHit);
    }
    if (emails.size > 0) {
      const address = normaliseEmailAddress(raw.slice(start, end));
      const value = address.ok ? address.value : '';
      const slot = address.ok ? emails.find(value, 0, value.length, foldHash(value, 0, value.length)) : -1;
      if (slot >= 0) emit(emails.valueAt(slot), 'exact', 'email', field, raw, now, onHit);
    }
    lookupHost(raw, at + 1, end, 'email-domain', 'email', field, raw, now, onHit);
  };

  const lookupHash = (raw: string, start: number, end: number, field: ObservedField, now: number, onHit: OnHit): void => {
    if (hashes.size === 0 || !HASH_LENGTHS.has(end - start)) return;
    const slot = hashes.find(raw, start, end, foldHash(raw, start, end));
    if (slot >= 0) emit(hashes.valueAt(slot), 'exact', 'hash', field, raw, now, onHit);
  };

  return {
    put,
    remove,
    get size() {
      return store.size;
    },
    lookup(kind, field, raw, nowMicros, onHit) {
      if (typeof raw !== 'string') return;
      // Values are compared as logged, spaces around them aside.
      let start = 0;
      let end = raw.length;
      while (start < end && raw.charCodeAt(start) <= 32) start++;
      while (end > start && raw.charCodeAt(end - 1) <= 32) end--;
      switch (kind) {
        case 'ip':
          return lookupIp(raw, start, end, undefined, kind, field, raw, nowMicros, onHit);
        case 'host':
          return lookupHost(raw, start, end, undefined, kind, field, raw, nowMicros, onHit);
        case 'url':
          return lookupUrl(raw, start, end, field, nowMicros, onHit);
        case 'email':
          return lookupEmail(raw, start, end, field, nowMicros, onHit);
        case 'hash':
          return lookupHash(raw, start, end, field, nowMicros, onHit);
        case 'subject': {
          const head = subjects.get(raw);
          return head === undefined ? undefined : emit(head, 'exact', kind, field, raw, nowMicros, onHit);
        }
        case 'filename': {
          const head = filenames.get(raw);
          return head === undefined ? undefined : emit(head, 'exact', kind, field, raw, nowMicros, onHit);
        }
      }
    },
  };
}
