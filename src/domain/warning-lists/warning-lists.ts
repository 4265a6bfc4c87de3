import { HUB_EXTENSION_ID } from '../hub-extension';
import type { IndicatorKind } from '../indicators';

/**
 * Warning lists: values that must not be blocked (private and documentation addresses, public
 * resolvers, the most popular domains, hashes of the empty file). A hit is a warning in the
 * submission outcome, and sensor feeds leave the value out unless its provider marked the
 * indicator as intentional. The lists are data (schemas/warning-lists/*.json and the operator's own
 * files), compiled once by compileWarningLists.
 */

/** One list a value is on, and why that matters. */
export interface WarningHit {
  /** The list's id, e.g. `special-use-addresses`. */
  readonly list: string;
  /** Human text, e.g. "10.0.0.0/8 is a private range (RFC 1918)". */
  readonly reason: string;
}

export interface WarningLists {
  /** Changes when any list changes (a digest of every list's content): part of a feed's cache key. */
  readonly version: string;
  /**
   * The first list `value` is on, for an indicator of `kind`; `value` is normalised as the hub
   * stores it (a file hash as its hex digest; an `ALGORITHM:hex` key is read too). Never throws.
   */
  check(kind: IndicatorKind, value: string): WarningHit | undefined;
}

/** The hub extension's property by which a provider says a warned value is meant (blocked anyway). */
export const INTENTIONAL_PROPERTY = 'intentional';

/** Whether the provider flagged the indicator as intentional in the hub extension (`intentional: true`). */
export function isIntentional(indicator: Readonly<Record<string, unknown>>): boolean {
  const extensions = indicator.extensions;
  if (typeof extensions !== 'object' || extensions === null || Array.isArray(extensions)) return false;
  const extension = (extensions as Record<string, unknown>)[HUB_EXTENSION_ID];
  if (typeof extension !== 'object' || extension === null || Array.isArray(extension)) return false;
  return (extension as Record<string, unknown>)[INTENTIONAL_PROPERTY] === true;
}
