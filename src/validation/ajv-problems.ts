import type { ErrorObject } from 'ajv';
import type { FieldProblem } from '../domain/errors';

/** `/roles/0` -> `roles[0]`; `/tree/acme-hq/1` -> `tree.acme-hq[1]`. */
export function pointerToPath(pointer: string): string {
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(segment) ? `[${segment}]` : path === '' ? segment : `.${segment}`;
  }
  return path;
}

function join(base: string, name: string): string {
  return base === '' ? name : `${base}.${name}`;
}

/**
 * Turns ajv errors into field problems a person can act on: the path names the field itself (a missing
 * or unknown property is named, not its parent), and schema-combinator noise is dropped.
 */
export function ajvProblems(errors: readonly ErrorObject[] | null | undefined, prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if') continue;
    const base = join(prefix, pointerToPath(error.instancePath));
    let problem: FieldProblem;
    if (error.keyword === 'required') {
      problem = { path: join(base, String(error.params.missingProperty)), message: 'is required' };
    } else if (error.keyword === 'additionalProperties') {
      problem = { path: join(base, String(error.params.additionalProperty)), message: 'is not a known property' };
    } else if (error.keyword === 'enum') {
      const allowed = (error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      problem = { path: base || '(root)', message: `must be one of ${allowed}` };
    } else {
      problem = { path: base || '(root)', message: error.message ?? 'is invalid' };
    }
    const key = `${problem.path}\0${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}
