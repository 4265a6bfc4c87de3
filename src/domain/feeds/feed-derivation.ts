import { HUB_EXTENSION_ID } from '../hub-extension';
import { feedEntriesOf } from './feed-entry';

/**
 * Names how feed entries are worked out of a version (feedEntriesOf and derivedOf): raise it when
 * they change, and every saved version is worked out again on its next read.
 */
export const FEED_ENTRY_DERIVATION = 1;

/** The few properties of a stored indicator version that its feed entries are worked out of. */
export interface FeedSource {
  readonly id: string;
  readonly modified?: string;
  readonly pattern?: string;
  readonly patternType?: string;
  readonly confidence?: number;
  readonly validUntil?: string;
  /** The hub extension's `kind` and `intentional` flag. */
  readonly hubKind?: string;
  readonly intentional: boolean;
}

/** One value a version gives a feed. */
export interface FeedValue {
  readonly kind: string;
  readonly value: string;
  readonly algorithm?: string;
}

/** What a version gives a feed: its values, and the properties a feed shows or filters on. */
export interface DerivedEntries {
  readonly values: readonly FeedValue[];
  readonly confidence?: number;
  readonly validUntil?: string;
  readonly intentional: boolean;
}

/** What a version gives a feed, worked out of its source properties as feedEntriesOf reads them. */
export function derivedOf(source: FeedSource): DerivedEntries {
  const indicator = {
    type: 'indicator',
    id: source.id,
    ...(source.modified !== undefined ? { modified: source.modified } : {}),
    ...(source.pattern !== undefined ? { pattern: source.pattern } : {}),
    ...(source.patternType !== undefined ? { pattern_type: source.patternType } : {}),
    ...(source.confidence !== undefined ? { confidence: source.confidence } : {}),
    ...(source.validUntil !== undefined ? { valid_until: source.validUntil } : {}),
    extensions: { [HUB_EXTENSION_ID]: source.hubKind !== undefined ? { kind: source.hubKind } : {} },
  };
  const entries = feedEntriesOf(indicator, 'clear');
  const first = entries[0];
  return {
    values: entries.map((e) => ({ kind: e.kind, value: e.value, ...(e.algorithm !== undefined ? { algorithm: e.algorithm } : {}) })),
    ...(first?.confidence !== undefined ? { confidence: first.confidence } : {}),
    ...(first?.validUntil !== undefined ? { validUntil: first.validUntil } : {}),
    intentional: source.intentional,
  };
}

/** The source properties of an indicator object, read as the store reads them from a stored one (SqlSensorFeedStore.indicatorSources). */
export function feedSourceOf(object: Readonly<Record<string, unknown>>, id: string): FeedSource {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const extensions = object.extensions;
  const hub = typeof extensions === 'object' && extensions !== null ? (extensions as Record<string, unknown>)[HUB_EXTENSION_ID] : undefined;
  const hubFields = typeof hub === 'object' && hub !== null ? (hub as Record<string, unknown>) : {};
  const modified = text(object.modified);
  const pattern = text(object.pattern);
  const patternType = text(object.pattern_type);
  const validUntil = text(object.valid_until);
  const hubKind = text(hubFields.kind);
  return {
    id,
    ...(modified !== undefined ? { modified } : {}),
    ...(pattern !== undefined ? { pattern } : {}),
    ...(patternType !== undefined ? { patternType } : {}),
    ...(typeof object.confidence === 'number' ? { confidence: object.confidence } : {}),
    ...(validUntil !== undefined ? { validUntil } : {}),
    ...(hubKind !== undefined ? { hubKind } : {}),
    intentional: hubFields.intentional === true,
  };
}
