/**
 * The kinds of indicator a provider may submit to the hub, what the hub returns for each after
 * normalisation, and how long each stays valid when the provider gives no `valid_until`.
 */

export const INDICATOR_KINDS = [
  'email-sender-ip',
  'email-from',
  'email-subject',
  'email-attachment-name',
  'c2-hostname',
  'c2-ip',
  'url',
  'file-hash',
] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/** STIX 2.1 hashing-algorithm-ov names the hub accepts (their hex lengths are in file-hash.ts). */
export const HASH_ALGORITHMS = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512', 'SHA3-256', 'SHA3-512'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** Default validity in days when a provider gives no valid_until (operators can override this table). */
export const DEFAULT_VALIDITY_DAYS: Readonly<Record<IndicatorKind, number>> = Object.freeze({
  'email-sender-ip': 30,
  'email-from': 30,
  'email-subject': 30,
  'email-attachment-name': 30,
  'c2-ip': 90,
  'c2-hostname': 180,
  url: 180,
  'file-hash': 365,
});

export type ObservableType = 'ipv4-addr' | 'ipv6-addr' | 'email-addr' | 'email-message' | 'domain-name' | 'url' | 'file';

export interface IndicatorInput {
  readonly kind: IndicatorKind;
  readonly value: string;
  readonly algorithm?: string;
}

export interface NormalisedIndicator {
  readonly kind: IndicatorKind;
  /** The canonical value: with kind and algorithm, the deduplication key. */
  readonly value: string;
  /** file-hash only: the canonical STIX name. */
  readonly algorithm?: HashAlgorithm;
  /** The STIX 2.1 pattern matching the value. */
  readonly pattern: string;
  readonly observableType: ObservableType;
  /** A short human name such as "C2 IP 198.51.100.7". */
  readonly label: string;
}

export type Normalisation =
  | { readonly ok: true; readonly indicator: NormalisedIndicator }
  | { readonly ok: false; readonly field: 'value' | 'algorithm'; readonly message: string };

export function isIndicatorKind(value: unknown): value is IndicatorKind {
  return typeof value === 'string' && (INDICATOR_KINDS as readonly string[]).includes(value);
}

/** What one value check found: the canonical text, or why the value was refused. */
export type ValueCheck<T = string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };
