import type { HashAlgorithm, IndicatorKind } from '../indicators';
import type { TlpLevel } from '../tenancy';

/**
 * The matcher's vocabulary (issue 14), shared by the log-line readers (log-formats/), the index
 * (match-index.ts), `taxii-hub match` (cli/match/) and POST /api/match (services/matching/).
 *
 * A log reader turns a line into observations: a raw value as the log wrote it, the kind of value it
 * is, and the field it came from. The index normalises each observation the way the hub normalises
 * submissions and answers the shared indicators it matches.
 */

/** What sort of value an observation is; decides which indicator kinds it can match. */
export type ObservationKind = 'ip' | 'host' | 'url' | 'email' | 'subject' | 'filename' | 'hash';

/**
 * Where in the log a value was found, e.g. 'client-ip', 'source-ip', 'destination-ip', 'envelope-from',
 * 'header-from', 'subject', 'attachment-name', 'url', 'host', 'dns-query', 'file-hash'. Free text so a
 * format can name its own fields; printed as is.
 */
export type ObservedField = string;

/**
 * Called by a log reader for every value of a line. `raw` is the value as logged (maybe with brackets
 * stripped, never normalised); the callback must not keep a reference to a reused buffer.
 */
export type Observe = (kind: ObservationKind, field: ObservedField, raw: string) => void;

/** The log formats a reader can be asked for (`--format`), or 'auto' to detect per line. */
export const LOG_FORMATS = [
  'postfix', 'exim', 'exchange', 'squid', 'nginx', 'apache', 'zeek', 'iptables', 'nftables', 'ecs', 'values',
] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * Reads the lines of one input (a file, standard input, a request's lines) in order. Stateful: a Zeek
 * log's `#fields` header or an Exchange CSV's header row says how later lines read. `read` returns the
 * format the line was read as (undefined when it matched none: not an error, most lines of a log say
 * nothing a shared indicator can match).
 */
export interface LogLineReader {
  read(line: string, observe: Observe): LogFormat | undefined;
  /**
   * When the line (one just read) says it happened, in milliseconds since the epoch; undefined when
   * its format logs no time. Called only for lines with a hit, so it may cost more than `read`. A
   * syslog time without a year is taken in the year that puts it at or before `nowMs`.
   */
  time(line: string, nowMs: number): number | undefined;
}

/** One shared indicator value the index can match, with what a hit prints about it. */
export interface MatchEntry {
  readonly indicatorId: string;
  readonly kind: IndicatorKind;
  /** Normalised as the hub normalises a submitted value of this kind (FeedEntry.value). */
  readonly value: string;
  readonly algorithm?: HashAlgorithm;
  readonly collection: string;
  readonly tlp: TlpLevel;
  readonly campaigns: readonly string[];
  /** The provider's name, when the collection's attribution lets the reader know it. */
  readonly provider?: string;
  /** valid_until as microseconds since the epoch: an entry past it no longer matches. */
  readonly validUntilMicros?: number;
  readonly confidence?: number;
}

/** A hit: which entry an observation matched, and how (exact, inside a CIDR, a subdomain of a host …). */
export interface MatchHit {
  readonly entry: MatchEntry;
  readonly kind: ObservationKind;
  readonly field: ObservedField;
  /** The value as logged. */
  readonly observed: string;
  readonly how: 'exact' | 'cidr' | 'subdomain' | 'url-host' | 'email-domain';
}

/**
 * The set of entries a matcher searches, indexed by normalised value: hash sets, CIDR ranges and host
 * suffixes. Entries are added and removed one indicator at a time (a mirror follows a collection).
 */
export interface MatchIndex {
  /** Adds (or replaces) every entry of one indicator. */
  put(indicatorId: string, entries: readonly MatchEntry[]): void;
  remove(indicatorId: string): void;
  /** The number of indicators held. */
  readonly size: number;
  /**
   * Calls `onHit` for every entry the observation matches, at `nowMicros` (expired entries do not
   * match). Allocates nothing when nothing matches (the common case on a log line).
   */
  lookup(kind: ObservationKind, field: ObservedField, raw: string, nowMicros: number, onHit: (hit: MatchHit) => void): void;
}
