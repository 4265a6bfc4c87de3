import { createHash } from 'node:crypto';
import type { IndicatorKind } from '../indicators';
import { urlParts } from '../indicators/url-parts';

/**
 * Analysis keys (issue 15): what a stored indicator's value has in common with other indicators'
 * values, as short strings that an index finds by equality (analysis_keys, migration 018). Two
 * indicators are related when they share a key, or when their host keys are parent and child, or
 * when one's address lies in the other's network. Values are the hub's normalised values (as
 * feed entries and submissions hold them), so keys never need the hub's normalisers again.
 *
 * Key forms, one prefix per kind of thing a value names, whatever indicator kind it came from:
 * - `ip:<address>`: a sender IP, a C2 IP, the host of a URL written with an address;
 * - `net:<network>`: a CIDR network (sender or C2 IP);
 * - `host:<labels reversed>`: a C2 host name, the host of a URL, the domain of a From address
 *   (`host:com.example.mail`), so that `host:com.example.%` finds every subdomain of example.com;
 * - `email:<address>`, `url:<url>`, `hash:<hex>`;
 * - `subject:<text>`, `attachment:<name>`: folded to lower case (mail clients and file systems do
 *   not tell Invoice.doc from invoice.doc, and a reused lure keeps its words, not its case).
 * A key longer than MAX_KEY_BYTES (a long subject) is its prefix and the SHA-256 of the whole key.
 * ip and net keys also carry the network (`net`, an inet) for containment searches.
 */

export type AnalysisKeyType = 'ip' | 'net' | 'host' | 'email' | 'url' | 'hash' | 'subject' | 'attachment';

export interface AnalysisKey {
  readonly key: string;
  /** ip and net keys: the address or network, as PostgreSQL's inet reads it. */
  readonly net?: string;
}

/** Longer keys are digested: a btree entry must stay well under PostgreSQL's 2,704-byte limit. */
export const MAX_KEY_BYTES = 512;

/** `host:` key of a normalised host name (lower case, no trailing dot). */
export function hostKey(host: string): string {
  return bounded(`host:${host.split('.').reverse().join('.')}`);
}

/** The host keys of a host's parent domains that could be indicators themselves (two labels or more), nearest first. */
export function parentHostKeys(host: string): string[] {
  const labels = host.split('.');
  const keys: string[] = [];
  for (let i = 1; labels.length - i >= 2; i++) keys.push(hostKey(labels.slice(i).join('.')));
  return keys;
}

/** The LIKE prefix (no wildcard) of the host keys of a host's subdomains. */
export function subdomainKeyPrefix(host: string): string {
  return `host:${host.split('.').reverse().join('.')}.`;
}

/** The type of a key (its prefix). */
export function keyType(key: string): AnalysisKeyType {
  const colon = key.search(/[:#]/);
  return key.slice(0, colon) as AnalysisKeyType;
}

/** The host name a host key stands for (undefined for other keys and digested ones). */
export function hostOfKey(key: string): string | undefined {
  return key.startsWith('host:') ? key.slice(5).split('.').reverse().join('.') : undefined;
}

function bounded(key: string): string {
  if (Buffer.byteLength(key, 'utf8') <= MAX_KEY_BYTES) return key;
  const colon = key.indexOf(':');
  return `${key.slice(0, colon)}#sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

function folded(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

function addressKeys(address: string): AnalysisKey[] {
  return address.includes('/') ? [{ key: `net:${address}`, net: address }] : [{ key: `ip:${address}`, net: address }];
}

/** The host part of a URL as a key: an address (IPv6 without its brackets) or a host name. */
function urlHostKeys(url: string): AnalysisKey[] {
  const hostname = urlParts(url)?.hostname;
  if (hostname === undefined || hostname === '') return [];
  if (hostname.startsWith('[')) return addressKeys(hostname.slice(1, -1));
  if (/^[0-9.]+$/.test(hostname)) return addressKeys(hostname);
  return [{ key: hostKey(hostname) }];
}

/** The keys of one normalised indicator value (a feed entry's kind and value). */
export function analysisKeysOf(kind: IndicatorKind, value: string): AnalysisKey[] {
  switch (kind) {
    case 'email-sender-ip':
    case 'c2-ip':
      return addressKeys(value);
    case 'c2-hostname':
      return [{ key: hostKey(value) }];
    case 'email-from': {
      const at = value.lastIndexOf('@');
      const own = { key: bounded(`email:${value}`) };
      return at > 0 && at < value.length - 1 ? [own, { key: hostKey(value.slice(at + 1).toLowerCase()) }] : [own];
    }
    case 'url':
      return [{ key: bounded(`url:${value}`) }, ...urlHostKeys(value)];
    case 'file-hash':
      return [{ key: `hash:${value.toLowerCase()}` }];
    case 'email-subject':
      return [{ key: bounded(`subject:${folded(value)}`) }];
    case 'email-attachment-name':
      return [{ key: bounded(`attachment:${folded(value)}`) }];
  }
}

/**
 * The keys of several values (an indicator whose pattern ORs values has several entries), without
 * repeats; the first occurrence's net wins (a key names one address or network).
 */
export function analysisKeysOfAll(values: readonly { readonly kind: IndicatorKind; readonly value: string }[]): AnalysisKey[] {
  const seen = new Map<string, AnalysisKey>();
  for (const { kind, value } of values) for (const key of analysisKeysOf(kind, value)) if (!seen.has(key.key)) seen.set(key.key, key);
  return [...seen.values()];
}
