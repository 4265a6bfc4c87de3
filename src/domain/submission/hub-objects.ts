import { HUB_EXTENSION_ID } from '../hub-extension';
import { TLP2_MARKING_REFS } from '../tlp';
import { HUB_IDENTITY_ID, organizationIdentityId, relationshipId } from './stable-ids';

/**
 * The STIX objects the hub writes itself next to submitted indicators: each provider's identity (the
 * indicators' created_by_ref), the hub's own identity, and the extension-definition of the hub's
 * property extension. All are TLP:CLEAR, so everyone who may read a collection may read them.
 */

type StixObject = Record<string, unknown>;

const CLEAR = [TLP2_MARKING_REFS.clear];

/** When the hub's own objects were defined; fixed, so every hub writes byte-identical copies. */
const HUB_OBJECTS_CREATED = '2026-12-06T00:00:00.000Z';

/** An organization's identity; a new version (modified) when its name changes. */
export function organizationIdentity(organization: { readonly id: string; readonly name: string }, created: string, modified: string): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: organizationIdentityId(organization.id),
    created,
    modified,
    name: organization.name,
    identity_class: 'organization',
    object_marking_refs: CLEAR,
  };
}

export const HUB_IDENTITY: Readonly<StixObject> = Object.freeze({
  type: 'identity',
  spec_version: '2.1',
  id: HUB_IDENTITY_ID,
  created: HUB_OBJECTS_CREATED,
  modified: HUB_OBJECTS_CREATED,
  name: 'taxii-hub',
  description: 'The taxii-hub sharing hub, which defines the hub extension of the indicators it publishes.',
  identity_class: 'system',
  object_marking_refs: CLEAR,
});

/** The extension's normative definition, as plain text (STIX 2.1 allows a URL or text). */
export const HUB_EXTENSION_SCHEMA =
  'The JSON Schema schemas/hub-extension.schema.json of the taxii-hub package, explained in its README ("Indicator lifecycle").';

export const HUB_EXTENSION_DEFINITION: Readonly<StixObject> = Object.freeze({
  type: 'extension-definition',
  spec_version: '2.1',
  id: HUB_EXTENSION_ID,
  created: HUB_OBJECTS_CREATED,
  modified: HUB_OBJECTS_CREATED,
  created_by_ref: HUB_IDENTITY_ID,
  name: 'taxii-hub indicator metadata',
  description:
    'Hub metadata of a shared object: kind (the unified-schema kind of a submitted indicator), hash_algorithm, ' +
    'state (active, revoked or benign), state_reason, and red_recipients (hub organization ids that may read a TLP:RED object).',
  schema: HUB_EXTENSION_SCHEMA,
  version: '1.0.0',
  extension_types: ['property-extension'],
  object_marking_refs: CLEAR,
});

/** The objects every collection holding hub-written indicators carries once. */
export const HUB_DEFINITIONS: readonly Readonly<StixObject>[] = [HUB_IDENTITY, HUB_EXTENSION_DEFINITION];

/** A provider's campaign. */
export function campaignObject(id: string, name: string, providerIdentityId: string, created: string, markingRefs: readonly string[]): StixObject {
  return { type: 'campaign', spec_version: '2.1', id, created, modified: created, created_by_ref: providerIdentityId, name, object_marking_refs: [...markingRefs] };
}

/** `source --type--> target`, written once (its id is a function of the triple). */
export function relationshipObject(
  sourceRef: string,
  type: string,
  targetRef: string,
  providerIdentityId: string,
  created: string,
  markingRefs: readonly string[],
  description?: string,
): StixObject {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: relationshipId(sourceRef, type, targetRef),
    created,
    modified: created,
    created_by_ref: providerIdentityId,
    relationship_type: type,
    source_ref: sourceRef,
    target_ref: targetRef,
    ...(description !== undefined ? { description } : {}),
    object_marking_refs: [...markingRefs],
  };
}
