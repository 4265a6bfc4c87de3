import { HUB_EXTENSION_ID } from '../hub-extension';
import type { TlpLevel } from '../tenancy';
import { tlpMarkingDefinition } from '../sharing/tlp-marking-definitions';
import { TLP2_MARKING_REFS } from '../tlp';

/**
 * The STIX objects the hub writes itself next to submitted indicators: the hub's own identity and
 * the extension-definition of its property extension (TLP:CLEAR, in every collection it writes to),
 * each provider's identity per audience (the indicators' created_by_ref, unless attribution is
 * hidden), campaigns and relationships. Their ids are random UUIDv4 that the caller keeps in the
 * hub's key table (hub_object_keys): an id never reveals what it was made for.
 */

type StixObject = Record<string, unknown>;

const CLEAR = [TLP2_MARKING_REFS.clear];

/** When the hub's own objects were defined; fixed, so every hub process writes byte-identical copies. */
const HUB_OBJECTS_CREATED = '2026-12-06T00:00:00.000Z';

/** The key of an audience in hub_object_keys: its TLP level, and for RED its sorted recipients. */
export function audienceKey(tlp: TlpLevel, recipients: readonly string[]): string {
  return tlp === 'red' ? `red:${[...recipients].sort().join(',')}` : tlp;
}

/** The hub_object_keys keys of the hub's objects. */
export const HUB_KEYS = {
  identityPrefix: (organizationId: string) => `identity:${organizationId}:`,
  identity: (organizationId: string, audience: string) => `identity:${organizationId}:${audience}`,
  campaignPrefix: (organizationId: string, name: string) => `campaign:${organizationId}:${JSON.stringify(name)}:`,
  campaign: (organizationId: string, name: string, audience: string) => `campaign:${organizationId}:${JSON.stringify(name)}:${audience}`,
  relationship: (source: string, type: string, target: string) => `relationship:${source}:${type}:${target}`,
} as const;

/** An organization's identity for one audience; a new version (modified) when its name changes. */
export function organizationIdentity(id: string, organization: { readonly name: string }, created: string, modified: string, markingRefs: readonly string[]): StixObject {
  return { type: 'identity', spec_version: '2.1', id, created, modified, name: organization.name, identity_class: 'organization', object_marking_refs: [...markingRefs] };
}

/** The hub's own identity: creator of its extension definition, and of every object where attribution is hidden. */
export function hubIdentity(id: string): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id,
    created: HUB_OBJECTS_CREATED,
    modified: HUB_OBJECTS_CREATED,
    name: 'taxii-hub',
    description: 'The taxii-hub sharing hub: it defines the hub extension, and creates the objects of collections whose providers are not named.',
    identity_class: 'system',
    object_marking_refs: CLEAR,
  };
}

/** The extension's normative definition, as plain text (STIX 2.1 allows a URL or text). */
export const HUB_EXTENSION_SCHEMA =
  'The JSON Schema schemas/hub-extension.schema.json of the taxii-hub package, explained in its README ("Indicator lifecycle").';

export function hubExtensionDefinition(hubIdentityId: string): StixObject {
  return {
    type: 'extension-definition',
    spec_version: '2.1',
    id: HUB_EXTENSION_ID,
    created: HUB_OBJECTS_CREATED,
    modified: HUB_OBJECTS_CREATED,
    created_by_ref: hubIdentityId,
    name: 'taxii-hub indicator metadata',
    description:
      'Hub metadata of a shared object: kind (the unified-schema kind of a submitted indicator), hash_algorithm, ' +
      'state (active, revoked or benign), state_reason, and red_recipients (hub organization ids that may read a TLP:RED object).',
    schema: HUB_EXTENSION_SCHEMA,
    version: '1.0.0',
    extension_types: ['property-extension'],
    object_marking_refs: CLEAR,
  };
}

/**
 * The shared definitions a collection carries for objects that name these marking-definitions: the
 * published TLP definitions among them (TLP:CLEAR's always: the others are marked with it), the hub's
 * identity and its extension-definition.
 */
export function sharedDefinitions(hubIdentityId: string, markingIds: Iterable<string>): StixObject[] {
  const tlp = new Set<string>([TLP2_MARKING_REFS.clear, ...markingIds]);
  const markings = [...tlp].flatMap((id) => {
    const definition = tlpMarkingDefinition(id);
    return definition !== undefined ? [{ ...definition }] : [];
  });
  return [...markings, hubIdentity(hubIdentityId), hubExtensionDefinition(hubIdentityId)];
}

/** A provider's campaign. */
export function campaignObject(id: string, name: string, createdBy: string, created: string, markingRefs: readonly string[]): StixObject {
  return { type: 'campaign', spec_version: '2.1', id, created, modified: created, created_by_ref: createdBy, name, object_marking_refs: [...markingRefs] };
}

/** `source --type--> target`. */
export function relationshipObject(
  id: string,
  link: { readonly source: string; readonly type: string; readonly target: string },
  createdBy: string,
  created: string,
  markingRefs: readonly string[],
  description?: string,
): StixObject {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id,
    created,
    modified: created,
    created_by_ref: createdBy,
    relationship_type: link.type,
    source_ref: link.source,
    target_ref: link.target,
    ...(description !== undefined ? { description } : {}),
    object_marking_refs: [...markingRefs],
  };
}
