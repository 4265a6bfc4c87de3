import type { FieldProblem } from '../domain/errors';
import { renderFieldPath, type PathSegment } from '../domain/field-path';

/**
 * JSON numbers beyond the range of a double (`1e999999`, a 5,000-digit integer) parse to Infinity
 * or -Infinity, which JSON.stringify and the database's jsonb write as null: stored, they would come
 * back as something else than was sent. Every place where one is found is a problem, at its path.
 * Iterative, so that no nesting can overflow the stack.
 */

export const NON_FINITE_NUMBER_MESSAGE = 'is a number beyond the range of a 64-bit floating-point number (the hub would store it as null); send a smaller number, or the digits as a string';

/** At most this many places are named; a body full of them is refused just the same. */
const MAX_PROBLEMS = 20;

export function nonFiniteNumberProblems(value: unknown): FieldProblem[] {
  return containsNonFiniteNumber(value) ? placesOfNonFiniteNumbers(value) : [];
}

/** The fast pass: no paths, no allocation per value beyond the stack. */
function containsNonFiniteNumber(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current === 'number') {
      if (!Number.isFinite(current)) return true;
    } else if (typeof current === 'object' && current !== null) {
      if (Array.isArray(current)) {
        for (const item of current) if (typeof item === 'object' || typeof item === 'number') pending.push(item);
      } else {
        for (const key in current) {
          const item = (current as Record<string, unknown>)[key];
          if (typeof item === 'object' || typeof item === 'number') pending.push(item);
        }
      }
    }
  }
  return false;
}

/** The slow pass, only for a value that has one: each pending value keeps a link to its parent, so no path is copied. */
interface Place {
  readonly value: unknown;
  readonly segment: PathSegment | undefined;
  readonly parent: Place | undefined;
}

function placesOfNonFiniteNumbers(value: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: Place[] = [{ value, segment: undefined, parent: undefined }];
  while (pending.length > 0 && problems.length < MAX_PROBLEMS) {
    const place = pending.pop() as Place;
    const current = place.value;
    if (typeof current === 'number') {
      if (!Number.isFinite(current)) problems.push({ path: renderFieldPath(segmentsOf(place)) || '(root)', message: NON_FINITE_NUMBER_MESSAGE });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push({ value: current[i], segment: i, parent: place });
    } else if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i] as [string, unknown];
        pending.push({ value: item, segment: key, parent: place });
      }
    }
  }
  return problems;
}

function segmentsOf(place: Place): PathSegment[] {
  const segments: PathSegment[] = [];
  for (let at: Place | undefined = place; at !== undefined; at = at.parent) if (at.segment !== undefined) segments.push(at.segment);
  return segments.reverse();
}
