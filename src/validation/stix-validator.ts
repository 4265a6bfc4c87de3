import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FieldProblem } from '../domain/errors';
import { ajvProblems } from './ajv-problems';
import { nonFiniteNumberProblems } from './finite-numbers';
import { stixRuleProblems } from './stix-object-rules';
import { SCO_TYPES } from './stix-types';
import { readSchema } from './schema-files';
import { addSharedSchema, compileShared } from './shared-ajv';

/**
 * STIX 2.1 object validation for every write path: the JSON Schemas in schemas/stix/ (picked by the
 * object's `type`) plus the rules in stix-object-rules.ts, which parse the pattern of an indicator
 * whose pattern_type is stix, and no number beyond a double (finite-numbers.ts). The schemas are
 * compiled once per process (a type's own schema on the first object of that type), and every
 * validator shares them (they keep no state between calls).
 */

export type StixValidation = { ok: true } | { ok: false; problems: FieldProblem[] };
export type StixValidator = (object: unknown) => StixValidation;

/** The types with a schema of their own, each in schemas/stix/<type>.schema.json. */
export const STIX_SCHEMA_TYPES: readonly string[] = [
  'indicator', 'identity', 'marking-definition', 'relationship', 'sighting', 'opinion', 'note', 'report', 'grouping',
  'campaign', 'malware', 'observed-data', 'extension-definition',
  'ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr', 'email-message', 'file',
];

const COMMON_SCHEMA = 'common.schema.json';
const CUSTOM_SCHEMA = 'custom-object.schema.json';

interface CompiledStixSchemas {
  /** The type's own schema, compiled on first use (a test file or a hub sees a handful of the types). */
  readonly ofType: (type: string) => ValidateFunction | undefined;
  readonly custom: ValidateFunction;
  readonly observable: ValidateFunction;
}

const OWN_SCHEMA_TYPES = new Set(STIX_SCHEMA_TYPES);
let compiled: CompiledStixSchemas | undefined;

/**
 * The compiled schemas, the same for every validator. A validate function keeps only the errors of
 * its last call, which the validator reads at once (synchronously), so sharing them is safe.
 */
function stixSchemas(): CompiledStixSchemas {
  if (compiled) return compiled;
  // verbose: errors carry their schema, whose description turns "must match pattern ^…$" into words.
  const common = readSchema(`stix/${COMMON_SCHEMA}`);
  const ajv = addSharedSchema('verbose', common);
  const byType = new Map<string, ValidateFunction>();
  const ofType = (type: string): ValidateFunction | undefined => {
    if (!OWN_SCHEMA_TYPES.has(type)) return undefined;
    let validate = byType.get(type);
    if (validate === undefined) {
      validate = compileShared('verbose', readSchema(`stix/${type}.schema.json`));
      byType.set(type, validate);
    }
    return validate;
  };
  const custom = compileShared('verbose', readSchema(`stix/${CUSTOM_SCHEMA}`));
  const observable = ajv.getSchema(`${common.$id}#/definitions/sco`);
  if (observable === undefined) throw new Error(`${COMMON_SCHEMA} has no definitions/sco`);
  compiled = { ofType, custom, observable };
  return compiled;
}

export function createStixValidator(): StixValidator {
  const { ofType, custom, observable } = stixSchemas();

  const pick = (object: Readonly<Record<string, unknown>>): ValidateFunction => {
    const type = object.type;
    if (typeof type !== 'string') return custom;
    const own = ofType(type);
    if (own !== undefined) return own;
    // Other STIX 2.1 SCOs, and custom SCOs declared through a new-sco extension, have no created/modified.
    return SCO_TYPES.has(type) || declaresNewSco(object.extensions) ? observable : custom;
  };

  return (input: unknown): StixValidation => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return { ok: false, problems: [{ path: '(root)', message: 'must be a JSON object' }] };
    }
    const object = input as Readonly<Record<string, unknown>>;
    if (object.type === 'bundle') {
      return { ok: false, problems: [{ path: 'type', message: 'must not be "bundle": a bundle is not a STIX object; validate its objects' }] };
    }
    const validate = pick(object);
    const schemaOk = validate(object);
    const rules = [...stixRuleProblems(object), ...nonFiniteNumberProblems(object)];
    if (schemaOk && rules.length === 0) return { ok: true };
    const problems = schemaOk ? [] : schemaProblems(validate.errors);
    if (!schemaOk && problems.length === 0) problems.push({ path: '(root)', message: 'is not a valid STIX 2.1 object' });
    return { ok: false, problems: merge(problems, rules) };
  };
}

function declaresNewSco(extensions: unknown): boolean {
  if (typeof extensions !== 'object' || extensions === null) return false;
  return Object.values(extensions).some((e: unknown) => typeof e === 'object' && e !== null && (e as { extension_type?: unknown }).extension_type === 'new-sco');
}

/**
 * ajv errors as field problems: a pattern or format failure says what the value must be (the schema's
 * description), and a bad property name or dictionary key names that key rather than its object.
 */
function schemaProblems(errors: readonly ErrorObject[] | null | undefined): FieldProblem[] {
  const rewritten: ErrorObject[] = [];
  const nameRules = new Map<string, string>();
  for (const error of errors ?? []) {
    if (error.propertyName !== undefined) {
      const description = describe(error);
      if (description !== undefined) nameRules.set(`${error.instancePath}\0${error.propertyName}`, description);
      continue;
    }
    rewritten.push(error);
  }
  const result = rewritten.map((error): ErrorObject => {
    if (error.keyword === 'propertyNames') {
      const name = String(error.params.propertyName);
      const rule = nameRules.get(`${error.instancePath}\0${name}`);
      const pointer = `${error.instancePath}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      return { ...error, instancePath: pointer, message: rule === undefined ? 'is not a valid name here' : `is not ${rule}` };
    }
    if (error.keyword === 'pattern' || error.keyword === 'format') {
      const description = describe(error);
      if (description !== undefined) return { ...error, message: `must be ${description}` };
    }
    return error;
  });
  return ajvProblems(result);
}

function describe(error: ErrorObject): string | undefined {
  const schema: unknown = error.parentSchema;
  if (typeof schema !== 'object' || schema === null) return undefined;
  const description = (schema as { description?: unknown }).description;
  return typeof description === 'string' ? description : undefined;
}

function merge(first: readonly FieldProblem[], second: readonly FieldProblem[]): FieldProblem[] {
  const seen = new Set(first.map((p) => `${p.path}\0${p.message}`));
  const merged = [...first];
  for (const problem of second) {
    const key = `${problem.path}\0${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      merged.push(problem);
    }
  }
  return merged;
}
