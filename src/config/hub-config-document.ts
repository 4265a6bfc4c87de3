import type { IndicatorKind } from '../domain/indicators';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Attribution, Role, TlpLevel, Topology, UnmarkedPolicy } from '../domain/tenancy';
import { renderFieldPath, type PathSegment, type SegmentProblem } from '../domain/field-path';
import { didYouMean } from './did-you-mean';
import { compileShared } from '../validation/shared-ajv';

/**
 * One configuration document (a YAML file, or a raw object) as the schema describes it, and the
 * schema stage of validation. Cross-references are checked afterwards on the typed document.
 */

export interface HubDocument {
  hub?: HubSection;
  api_roots?: ApiRootEntry[];
  organizations?: OrganizationEntry[];
  users?: UserEntry[];
  trust_groups?: TrustGroupEntry[];
  collections?: CollectionEntry[];
}

export interface HubSection {
  title: string;
  description?: string;
  contact?: string;
  default_api_root?: string;
  indicator_validity_days?: Partial<Record<IndicatorKind, number>>;
  warning_lists?: string[];
  analysis?: { campaign_candidates?: { min_indicators?: number; min_submissions?: number; window_days?: number } };
}

export interface ApiRootEntry {
  id: string;
  title: string;
  description?: string;
  max_content_length?: number;
}

export interface OrganizationEntry {
  id: string;
  name: string;
  parent?: string;
  delivery_allow_list?: string[];
}

export interface UserEntry {
  username: string;
  organization: string;
  roles: Role[];
  disabled?: boolean;
  password_hash?: string;
  password_env?: string;
}

export interface TrustGroupEntry {
  id: string;
  name: string;
  topology: Topology;
  members?: string[];
  tree?: Record<string, string[]>;
  peer_links?: { between: [string, string]; pass_down?: boolean }[];
  attribution?: Attribution;
}

export interface CollectionEntry {
  id: string;
  api_root: string;
  alias?: string;
  title: string;
  description?: string;
  owner: { organization?: string; trust_group?: string };
  default_marking: TlpLevel;
  unmarked?: UnmarkedPolicy;
  attribution?: Attribution;
}

export const LIST_SECTIONS = ['api_roots', 'organizations', 'users', 'trust_groups', 'collections'] as const;
export type ListSection = (typeof LIST_SECTIONS)[number];

/** A document after the schema stage: entries that failed structurally are holes (undefined). */
export type UsableDocument = { hub?: HubSection } & {
  [K in ListSection]?: (NonNullable<HubDocument[K]>[number] | undefined)[];
};

export type Segment = PathSegment;
export type { SegmentProblem };

/** Resolved from the package root, so it works from src/config (tests) and dist/config (built). */
export const HUB_CONFIG_SCHEMA_PATH = path.resolve(__dirname, '../../schemas/hub-config.schema.json');

let compiled: ValidateFunction<HubDocument> | undefined;

function schemaValidator(): ValidateFunction<HubDocument> {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(HUB_CONFIG_SCHEMA_PATH, 'utf8')) as object;
    compiled = compileShared<HubDocument>('verbose', schema);
  }
  return compiled;
}

export interface SchemaOutcome {
  readonly problems: SegmentProblem[];
  /**
   * The document with every list entry that failed a structural check (type, required, ...) left
   * out, so that the cross-reference checks can still run on the rest and report everything at once.
   */
  readonly usable: UsableDocument;
}

export function checkDocumentSchema(content: unknown): SchemaOutcome {
  const validate = schemaValidator();
  if (validate(content)) return { problems: [], usable: content };
  const errors = (validate.errors ?? []).filter((error) => error.keyword !== 'propertyNames');
  const problems = errors.map(toSegmentProblem);
  const broken = errors.filter((error) => !VALUE_LEVEL_KEYWORDS.has(error.keyword)).map((error) => pointerSegments(error.instancePath));
  return { problems, usable: keepUsable(content, broken) };
}

// Errors of these keywords leave the value's TypeScript shape intact.
const VALUE_LEVEL_KEYWORDS = new Set(['additionalProperties', 'pattern', 'minLength', 'minimum', 'maximum']);

function keepUsable(content: unknown, broken: readonly Segment[][]): UsableDocument {
  if (!isRecord(content) || broken.some((segments) => segments.length === 0)) return {};
  // Broken at `prefix` or anywhere inside it.
  const isBroken = (...prefix: Segment[]) =>
    broken.some((segments) => prefix.every((segment, i) => String(segments[i]) === String(segment)));
  // Broken as a whole (e.g. not a list), not merely in one of its entries.
  const isBrokenItself = (section: string) => broken.some((segments) => segments.length === 1 && String(segments[0]) === section);
  const usable: Record<string, unknown> = {};
  if (content.hub !== undefined && !isBroken('hub')) usable.hub = content.hub;
  for (const section of LIST_SECTIONS) {
    const list = content[section];
    if (!Array.isArray(list) || isBrokenItself(section)) continue;
    // Holes keep indexes aligned with the source, so paths stay right.
    usable[section] = list.map((entry: unknown, i) => (isBroken(section, i) ? undefined : entry));
  }
  return usable as UsableDocument;
}

function toSegmentProblem(error: ErrorObject): SegmentProblem {
  const at = pointerSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const parentSchema = (error.parentSchema ?? {}) as { description?: string; properties?: object };
  if (error.propertyName !== undefined) {
    return { segments: [...at, error.propertyName], message: `key ${describeRule(error, parentSchema)}` };
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const keys = Object.keys(parentSchema.properties ?? {});
      return { segments: [...at, key], message: `unknown key (expected one of: ${keys.join(', ')})${didYouMean(key, keys)}` };
    }
    case 'required':
      return { segments: [...at, String(params.missingProperty)], message: 'is required' };
    default:
      return { segments: at, message: describeRule(error, parentSchema) };
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  array: 'a list',
  object: 'a mapping',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
};

function describeRule(error: ErrorObject, parentSchema: { description?: string }): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `must be ${TYPE_NAMES[String(params.type)] ?? String(params.type)}`;
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      return `must be one of: ${allowed.join(', ')}${typeof error.data === 'string' ? didYouMean(error.data, allowed) : ''}`;
    }
    case 'pattern':
      return parentSchema.description ? `must be ${parentSchema.description}` : (error.message ?? 'is invalid');
    case 'minLength':
      return 'must not be empty';
    case 'minItems':
      return `must list at least ${String(params.limit)}`;
    case 'maxItems':
      return `must list at most ${String(params.limit)}`;
    default:
      return error.message ?? 'is invalid';
  }
}

function pointerSegments(pointer: string): Segment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment));
}

/**
 * `trust_groups[1].tree.acme-hq[0]`. Numbers are list indexes: every mapping key in a valid
 * configuration is a slug or a schema key, and a slug made only of digits is rendered as an index —
 * readable enough for the rare config that uses one.
 */
export function renderPath(segments: readonly Segment[]): string {
  return renderFieldPath(segments);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
