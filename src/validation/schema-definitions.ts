import type { ValidateFunction } from 'ajv';
import { hubError } from '../domain/errors';
import { ajvProblems } from './ajv-problems';
import { addSharedSchema } from './shared-ajv';

/**
 * Request-body parsers from the definitions of one JSON Schema file: `parser<T>('name')` checks a body
 * against `#/definitions/name` and returns it typed, or throws VALIDATION_FAILED naming every problem.
 */
export function definitionParsers(schema: Record<string, unknown> & { $id: string }): <T>(definition: string) => (body: unknown) => T {
  const ajv = addSharedSchema('plain', schema);
  const definitions = (schema.definitions ?? {}) as Record<string, unknown>;
  return <T>(definition: string) => {
    if (!Object.hasOwn(definitions, definition)) throw new Error(`no schema definition ${definition}`);
    // Compiled on the first body it checks: a process (or a test file) uses a few of the hub's parsers.
    let compiled: ValidateFunction<T> | undefined;
    return (body: unknown): T => {
      compiled ??= ajv.getSchema(`${schema.$id}#/definitions/${definition}`) as ValidateFunction<T>;
      const validate = compiled;
      if (validate(body)) return body;
      const problems = ajvProblems(validate.errors);
      throw hubError('VALIDATION_FAILED', { description: problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems });
    };
  };
}
