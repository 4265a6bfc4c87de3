import type { IndicatorKind } from '../indicators';
import { isIndicatorKind } from '../indicators/indicator-kinds';
import { analysisKeysOf, hostOfKey, keyType, type AnalysisKeyType } from './analysis-keys';

/**
 * What a campaign candidate's members share, as users recognise it (issue 15 §2): a host name, an
 * address, a hash… rather than the analysis key (`host:example.kuro-relay.cdn-update`, a digested
 * long subject). A key a member's own value gives is shown as that value (its case kept); a host
 * key as the host name; others as the key without its prefix.
 */

export type SharedKind = 'host' | 'address' | 'network' | 'email' | 'url' | 'hash' | 'subject' | 'attachment';

export interface SharedValue {
  readonly kind: SharedKind;
  readonly value: string;
}

const KINDS: Record<AnalysisKeyType, SharedKind> = { ip: 'address', net: 'network', host: 'host', email: 'email', url: 'url', hash: 'hash', subject: 'subject', attachment: 'attachment' };

/** The shared keys as values; `values` are members' (kind, value) pairs, used where a key is digested or folded. */
export function sharedValuesOf(keys: readonly string[], values: readonly { readonly kind: string; readonly value: string }[]): SharedValue[] {
  const ofKey = new Map<string, string>();
  for (const v of values) {
    if (!isIndicatorKind(v.kind)) continue;
    for (const k of analysisKeysOf(v.kind as IndicatorKind, v.value)) {
      // A key a value names wholly (not the domain of a From address, the host of a URL).
      if (!ofKey.has(k.key) && keyType(k.key) !== 'host') ofKey.set(k.key, v.value);
    }
  }
  const shared: SharedValue[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    const kind = KINDS[keyType(key)] ?? 'subject';
    const value = hostOfKey(key) ?? ofKey.get(key) ?? (key.includes('#sha256:') ? undefined : key.slice(key.indexOf(':') + 1));
    if (value === undefined || seen.has(`${kind} ${value}`)) continue;
    seen.add(`${kind} ${value}`);
    shared.push({ kind, value });
  }
  return shared;
}
