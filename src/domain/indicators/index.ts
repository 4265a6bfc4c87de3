/**
 * Indicator values as providers submit them: checked, normalised to one canonical text per kind
 * (the deduplication key) and turned into STIX 2.1 patterns. Pure: no I/O.
 */

export {
  DEFAULT_VALIDITY_DAYS,
  HASH_ALGORITHMS,
  INDICATOR_KINDS,
  type HashAlgorithm,
  type IndicatorInput,
  type IndicatorKind,
  type Normalisation,
  type NormalisedIndicator,
} from './indicator-kinds';
export { stixStringLiteral } from './indicator-pattern';
export { normaliseIndicator } from './normalise-indicator';
