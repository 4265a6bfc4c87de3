import type { FieldProblem } from './errors';
import { parseMicros } from './timestamps';

/**
 * What the hub reads from a STIX object to index, version and mark it. Runs after the object passed
 * STIX 2.1 validation (src/validation), so it only reads: it checks nothing the validator checks.
 */

export interface StixObjectHead {
  readonly id: string;
  readonly type: string;
  /** The object's `spec_version`; `2.1` for an SCO that omits it (STIX 2.1 §6.1). */
  readonly specVersion: string;
  /** The object's `modified`, else its `created`, as posted; undefined when it has neither (e.g. an SCO). */
  readonly versionText: string | undefined;
  /** That timestamp in microseconds. */
  readonly versionMicros: number | undefined;
  /** `object_marking_refs`, or empty. */
  readonly markingRefs: readonly string[];
  /** The object as posted. */
  readonly object: Readonly<Record<string, unknown>>;
}

export type StixObjectHeadReading = { readonly ok: true; readonly head: StixObjectHead } | { readonly ok: false; readonly problem: FieldProblem };

/**
 * Reads the head of a validated object. The one thing it can refuse is a version timestamp that STIX
 * allows but the hub cannot keep in microseconds: a leap second, or more than 9 fractional digits.
 */
export function readStixObjectHead(object: Readonly<Record<string, unknown>>): StixObjectHeadReading {
  const field = typeof object.modified === 'string' ? 'modified' : typeof object.created === 'string' ? 'created' : undefined;
  const versionText = field === undefined ? undefined : (object[field] as string);
  const versionMicros = versionText === undefined ? undefined : parseMicros(versionText);
  if (field !== undefined && versionMicros === undefined) {
    return { ok: false, problem: { path: field, message: 'cannot be kept as a version (a leap second, or more than 9 fractional digits)' } };
  }
  const refs = object.object_marking_refs;
  return {
    ok: true,
    head: {
      id: String(object.id),
      type: String(object.type),
      specVersion: typeof object.spec_version === 'string' ? object.spec_version : '2.1',
      versionText,
      versionMicros,
      markingRefs: Array.isArray(refs) ? refs.filter((r): r is string => typeof r === 'string') : [],
      object,
    },
  };
}
