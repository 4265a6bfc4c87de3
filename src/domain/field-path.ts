/**
 * Paths to a place inside a structure, kept as segments so that each caller can say where the
 * structure itself stands (a config file, an admin request body, a stored entity).
 */

/** A mapping key or a list index. */
export type PathSegment = string | number;

/** One problem at a place given as segments, e.g. ['tree', 'acme-hq', 1]. */
export interface SegmentProblem {
  readonly segments: readonly PathSegment[];
  readonly message: string;
}

/**
 * `trust_groups[1].tree.acme-hq[0]`: numbers are list indexes, strings are keys. A mapping key made
 * only of digits must be passed as a string to render as a key.
 */
export function renderFieldPath(segments: readonly PathSegment[]): string {
  return segments.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}
