import Ajv, { type AnySchema, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The process's two schema compilers, shared by every validator the hub builds: each Ajv instance
 * compiles the JSON Schema meta-schema (to check the schemas it is given) and its formats again, so
 * one instance per validator cost about 20-40 ms each, some 250 ms of every start of the hub.
 * - `plain`: every error (allErrors), strict schemas, the ajv-formats formats;
 * - `verbose`: the same, with each error carrying its schema and data (the STIX and hub-config
 *   validators turn a schema's description into the message).
 * A validate function keeps only its last call's errors, which every caller reads at once
 * (synchronously), so sharing compiled functions is safe.
 */
export type SchemaCompiler = 'plain' | 'verbose';

const compilers = new Map<SchemaCompiler, Ajv>();

export function sharedAjv(kind: SchemaCompiler): Ajv {
  let ajv = compilers.get(kind);
  if (ajv === undefined) {
    ajv = new Ajv({ allErrors: true, strict: true, ...(kind === 'verbose' ? { verbose: true } : {}) });
    addFormats(ajv);
    compilers.set(kind, ajv);
  }
  return ajv;
}

/** Adds a schema (by its `$id`) unless the compiler already has it, so callers may ask twice. */
export function addSharedSchema(kind: SchemaCompiler, schema: Record<string, unknown> & { $id: string }): Ajv {
  const ajv = sharedAjv(kind);
  if (ajv.getSchema(schema.$id) === undefined) ajv.addSchema(schema);
  return ajv;
}

/** Compiles a schema; one with an `$id` the compiler already has gives that schema's function. */
export function compileShared<T = unknown>(kind: SchemaCompiler, schema: AnySchema): ValidateFunction<T> {
  const ajv = sharedAjv(kind);
  const id = typeof schema === 'object' && typeof schema.$id === 'string' ? schema.$id : undefined;
  const known = id === undefined ? undefined : ajv.getSchema<T>(id);
  return known ?? ajv.compile<T>(schema);
}
