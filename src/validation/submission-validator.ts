import type { ValidateFunction } from 'ajv';
import type { FieldProblem } from '../domain/errors';
import type { SubmissionDocument } from '../domain/submission/submission-document';
import { ajvProblems } from './ajv-problems';
import { readSchema } from './schema-files';
import { compileShared } from './shared-ajv';

/**
 * The unified submission schema (schemas/submission.schema.json), read in one pass: a problem inside
 * `indicators[N]` rejects that item only, any other problem rejects the whole document.
 */
export type SubmissionReading =
  | { readonly ok: true; readonly document: SubmissionDocument; readonly itemProblems: ReadonlyMap<number, readonly FieldProblem[]> }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

export type SubmissionValidator = (body: unknown) => SubmissionReading;

const ITEM_POINTER = /^\/indicators\/(\d+)(?:\/|$)/;

let compiled: ValidateFunction | undefined;

/** Compiled once per process and shared: it keeps only its last call's errors, read at once. */
function submissionSchema(): ValidateFunction {
  if (compiled) return compiled;
  compiled = compileShared('plain', readSchema('submission.schema.json'));
  return compiled;
}

export function createSubmissionValidator(): SubmissionValidator {
  const validate = submissionSchema();
  return (body) => {
    if (validate(body)) return { ok: true, document: body as SubmissionDocument, itemProblems: new Map() };
    const documentErrors = [];
    const itemErrors = new Map<number, NonNullable<typeof validate.errors>>();
    for (const error of validate.errors ?? []) {
      const item = ITEM_POINTER.exec(error.instancePath);
      if (item === null) {
        documentErrors.push(error);
        continue;
      }
      const index = Number(item[1]);
      itemErrors.set(index, [...(itemErrors.get(index) ?? []), error]);
    }
    if (documentErrors.length > 0) return { ok: false, problems: ajvProblems(documentErrors) };
    const itemProblems = new Map([...itemErrors].map(([index, errors]) => [index, ajvProblems(errors)]));
    return { ok: true, document: body as SubmissionDocument, itemProblems };
  };
}
