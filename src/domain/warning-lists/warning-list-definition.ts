import type { IndicatorKind } from '../indicators';

/**
 * A warning list as its data file says it (schemas/warning-list.schema.json describes the file;
 * compileWarningLists checks what a schema cannot: every entry, and which kinds a type can serve).
 */

export type WarningListType = 'ip-ranges' | 'domains' | 'hashes';

/** Which kinds a list of each type may apply to (a URL is checked by its host: an address or a name). */
export const KINDS_OF_TYPE: Readonly<Record<WarningListType, readonly IndicatorKind[]>> = {
  'ip-ranges': ['c2-ip', 'email-sender-ip', 'url'],
  domains: ['c2-hostname', 'url', 'email-from'],
  hashes: ['file-hash'],
};

/** One entry: the value alone (the list's reason applies), or with its own reason (and a hash's algorithm). */
export type WarningListEntry = string | { readonly value: string; readonly reason?: string; readonly algorithm?: string };

export interface WarningListDefinition {
  /** Unique among the lists; an operator's list with a built-in list's id replaces it. */
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly type: WarningListType;
  /**
   * Domain lists: `exact` (the default) warns for the listed name only, so `evilgoogle.com` and
   * `mail.google.com.evil.example` are not warned for `google.com`; `subdomains` also warns for
   * every name below a listed one (`www.example.com` under `example.com`).
   */
  readonly match?: 'exact' | 'subdomains';
  /** The kinds checked against this list. */
  readonly kinds: readonly IndicatorKind[];
  /** Why a listed value must not be blocked, completing "<value> is …" (e.g. "one of the most popular domains"). */
  readonly reason: string;
  readonly entries: readonly WarningListEntry[];
}
