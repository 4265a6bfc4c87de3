import type { HashAlgorithm, IndicatorKind } from '../indicators';
import type { FeedEntry } from './feed-entry';

/**
 * The sensor-feed formats (issue 13 §5) and what a renderer of one needs. A renderer is pure: it
 * turns feed entries (and, for deltas, changes) into the text a sensor loads, and never refuses:
 * an entry the format cannot express safely is left out.
 */

export const FEED_FORMATS = ['text', 'csv', 'suricata', 'zeek', 'rpz', 'postfix', 'stix'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export function isFeedFormat(value: string): value is FeedFormat {
  return (FEED_FORMATS as readonly string[]).includes(value);
}

/** Why an indicator left a consumer's active set (the change feed's removal operations). */
export const FEED_REMOVAL_REASONS = ['revoked', 'benign', 'expired', 'deleted', 'purged', 'access-lost'] as const;
export type FeedRemovalReason = (typeof FEED_REMOVAL_REASONS)[number];

/**
 * One change of the active set since a cursor: an entry added, or an indicator removed. A removal
 * names the indicator; it carries the entry when the value is known (a revoked version still has
 * its pattern), never for deleted, purged or access-lost.
 */
export type FeedChange =
  | { readonly op: 'add'; readonly indicatorId: string; readonly entry: FeedEntry }
  | { readonly op: 'remove'; readonly indicatorId: string; readonly reason: FeedRemovalReason; readonly entry?: FeedEntry };

/** The three Postfix lookup tables; `?map=` selects one. */
export const POSTFIX_MAPS = ['client', 'sender', 'header'] as const;
export type PostfixMap = (typeof POSTFIX_MAPS)[number];

/** Actions that both access(5) tables and header_checks(5) accept. */
export const POSTFIX_ACTIONS = ['REJECT', 'HOLD', 'DISCARD', 'WARN'] as const;
export type PostfixAction = (typeof POSTFIX_ACTIONS)[number];

export interface RpzOptions {
  /** The zone's origin, e.g. `rpz.taxii-hub.example.` (absolute: a trailing dot is added when missing). */
  readonly origin: string;
  /** The SOA serial (an unsigned 32-bit number; taken modulo 2^32). */
  readonly serial: number;
  /** TTL of every record (default 300 s). */
  readonly ttl?: number;
  /** Block the hosts of URL indicators too (default true). */
  readonly urlHosts?: boolean;
  /** Add rpz-ip triggers for C2 IPs and networks (default true). */
  readonly ipTriggers?: boolean;
}

export interface SuricataOptions {
  /** The first sid the feed may use (default 1,900,000,000). */
  readonly sidBase?: number;
  /** How many sids from the base it may use (default 100,000,000). */
  readonly sidCount?: number;
  /** File names of hash lists are `<prefix>-md5.list`, `-sha1.list`, `-sha256.list` (default `taxii-hub-<collection>`). */
  readonly hashListPrefix?: string;
}

export interface FeedContext {
  /** The hub's name as the feed's headers and messages show it. */
  readonly hubName: string;
  /** The collection the feed is of (its id or name, as the caller addressed it). */
  readonly collection: string;
  /** When the feed was rendered, a STIX timestamp. */
  readonly generatedAt: string;
  /** The feed's position (X-Feed-Cursor), written into headers of formats that have them. */
  readonly cursor?: string;
  /** `text`: only this kind (and for file hashes only this algorithm); every kind when absent. */
  readonly kind?: IndicatorKind;
  readonly algorithm?: HashAlgorithm;
  readonly rpz?: RpzOptions;
  readonly suricata?: SuricataOptions;
  readonly postfix?: { readonly map: PostfixMap; readonly action?: PostfixAction };
  /** `zeek`: meta.url is this text followed by the indicator id (`-` when absent). */
  readonly linkBase?: string;
  /** `stix`: the indicator objects as stored, by id, to put in the bundle. */
  readonly objects?: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** `stix`: the bundle id (derived from the collection and cursor when absent). */
  readonly bundleId?: string;
}

export interface FeedRenderer {
  readonly format: FeedFormat;
  /** The HTTP Content-Type of what render and renderDelta return. */
  readonly contentType: string;
  /** The kinds the format can express: entries of other kinds are left out. */
  readonly kinds: readonly IndicatorKind[];
  /** True when the format can say removals (renderDelta present). */
  readonly supportsDelta: boolean;
  /** The full active set. */
  render(entries: readonly FeedEntry[], context: FeedContext): string;
  /** Additions and removals since a cursor, in change order (csv: an `op` column; stix: the JSON delta form). */
  renderDelta?(changes: readonly FeedChange[], context: FeedContext): string;
  /** The Content-Type of renderDelta's output when it differs from contentType. */
  readonly deltaContentType?: string;
}
