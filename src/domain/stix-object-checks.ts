import { parseMicros } from './timestamps';

/**
 * The minimal checks an object must pass before the hub stores it: enough to index, version and mark
 * it correctly. Full STIX 2.1 validation replaces this later (issue 5) behind the same signature.
 */

/** What the hub reads from an object that passed the checks. */
export interface StixObjectHead {
  readonly id: string;
  readonly type: string;
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

export type StixObjectCheck = { ok: true; object: StixObjectHead } | { ok: false; reason: string };

/** STIX 2.1 cyber-observable types: their `spec_version` may be omitted and then means 2.1 (STIX 2.1 §3.2). */
const SCO_TYPES: ReadonlySet<string> = new Set([
  'artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message', 'file', 'ipv4-addr',
  'ipv6-addr', 'mac-addr', 'mutex', 'network-traffic', 'process', 'software', 'url', 'user-account',
  'windows-registry-key', 'x509-certificate',
]);

/** STIX 2.1 §3.1: a-z, 0-9 and single hyphens, starting with a letter, 3 to 250 characters. */
const TYPE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkStixObject(obj: unknown): StixObjectCheck {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return fail('an object must be a JSON object');
  const object = obj as Record<string, unknown>;

  const type = object.type;
  if (typeof type !== 'string') return fail('type is required and must be a string');
  if (type.length < 3 || type.length > 250 || !TYPE_NAME.test(type)) return fail(`type "${type}" is not a valid STIX type name`);
  if (type === 'bundle') return fail('type "bundle": a bundle is not an object; post its objects');

  const id = object.id;
  if (typeof id !== 'string') return fail('id is required and must be a string');
  const separator = id.indexOf('--');
  if (separator < 0 || id.slice(0, separator) !== type || !UUID.test(id.slice(separator + 2))) {
    return fail(`id "${id}" must be "${type}--" followed by a UUID`);
  }

  let specVersion = object.spec_version;
  if (specVersion === undefined && SCO_TYPES.has(type)) specVersion = '2.1';
  if (specVersion === undefined) return fail('spec_version is required (without it the object is STIX 2.0; this collection holds STIX 2.1)');
  if (specVersion !== '2.1') return fail(`spec_version must be "2.1" (got ${JSON.stringify(specVersion)})`);

  const created = timestamp(object, 'created');
  if (!created.ok) return created;
  const modified = timestamp(object, 'modified');
  if (!modified.ok) return modified;
  if (created.micros !== undefined && modified.micros !== undefined && modified.micros < created.micros) {
    return fail('modified must not be earlier than created');
  }

  const refs = object.object_marking_refs;
  if (refs !== undefined && (!Array.isArray(refs) || !refs.every((r): r is string => typeof r === 'string'))) {
    return fail('object_marking_refs must be a list of marking-definition ids');
  }

  const version = modified.micros !== undefined ? modified : created;
  return {
    ok: true,
    object: {
      id,
      type,
      specVersion,
      versionText: version.text,
      versionMicros: version.micros,
      markingRefs: refs ?? [],
      object,
    },
  };
}

type TimestampReading = { ok: true; text: string | undefined; micros: number | undefined } | { ok: false; reason: string };

function timestamp(object: Record<string, unknown>, field: 'created' | 'modified'): TimestampReading {
  const value = object[field];
  if (value === undefined) return { ok: true, text: undefined, micros: undefined };
  const micros = typeof value === 'string' ? parseMicros(value) : undefined;
  if (typeof value !== 'string' || micros === undefined) return fail(`${field} must be a timestamp such as 2026-01-31T12:00:00.000Z`);
  return { ok: true, text: value, micros };
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
