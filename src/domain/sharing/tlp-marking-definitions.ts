import { HUB_EXTENSION_ID } from '../hub-extension';
import { TLP1_MARKING_REFS, TLP2_EXTENSION_DEFINITION_ID, TLP2_MARKING_REFS } from '../tlp';
import type { TlpLevel } from '../tenancy';

/**
 * The TLP marking-definition objects, exactly as published: TLP 2.0 by OASIS (cti-stix-common-objects,
 * tlp-2.0 examples: created 2022-10-01, the property extension tlp_2_0), TLP 1.0 as STIX 2.1 §7.2.1.4
 * predefines them (created 2017-01-20, definition_type tlp). The hub serves the ones a collection's
 * objects use, so a STIX library resolving an object's marking finds it.
 */

type StixObject = Readonly<Record<string, unknown>>;

const TLP2_NAMES: Readonly<Record<TlpLevel, string>> = { clear: 'TLP:CLEAR', green: 'TLP:GREEN', amber: 'TLP:AMBER', 'amber+strict': 'TLP:AMBER+STRICT', red: 'TLP:RED' };
const TLP1_NAMES: Readonly<Record<keyof typeof TLP1_MARKING_REFS, string>> = { clear: 'white', green: 'green', amber: 'amber', red: 'red' };

const definitions = new Map<string, StixObject>();
for (const [level, id] of Object.entries(TLP2_MARKING_REFS) as [TlpLevel, string][]) {
  definitions.set(id, Object.freeze({
    type: 'marking-definition',
    spec_version: '2.1',
    id,
    created: '2022-10-01T00:00:00.000Z',
    name: TLP2_NAMES[level],
    extensions: { [TLP2_EXTENSION_DEFINITION_ID]: { extension_type: 'property-extension', tlp_2_0: level } },
  }));
}
for (const [level, id] of Object.entries(TLP1_MARKING_REFS) as [keyof typeof TLP1_MARKING_REFS, string][]) {
  const colour = TLP1_NAMES[level];
  definitions.set(id, Object.freeze({
    type: 'marking-definition',
    spec_version: '2.1',
    id,
    created: '2017-01-20T00:00:00.000Z',
    definition_type: 'tlp',
    name: `TLP:${colour.toUpperCase()}`,
    definition: { tlp: colour },
  }));
}

/** The published TLP marking-definition object with this id, or undefined for any other id. */
export function tlpMarkingDefinition(id: string): StixObject | undefined {
  return definitions.get(id);
}

/** The TLP marking-definition ids an object names in object_marking_refs or granular_markings. */
export function tlpMarkingIdsOf(object: Readonly<Record<string, unknown>>): string[] {
  const ids = new Set<string>();
  const refs = object.object_marking_refs;
  if (Array.isArray(refs)) for (const ref of refs) if (typeof ref === 'string' && definitions.has(ref)) ids.add(ref);
  const granular = object.granular_markings;
  if (Array.isArray(granular)) {
    for (const marking of granular) {
      const ref = (marking as { marking_ref?: unknown } | null)?.marking_ref;
      if (typeof ref === 'string' && definitions.has(ref)) ids.add(ref);
    }
  }
  return [...ids];
}

/** Is `id` one of the hub's shared definitions: a TLP marking-definition, the hub extension's definition, or the hub's identity? */
export function isHubDefinitionId(id: string, hubIdentityId: string): boolean {
  return id === HUB_EXTENSION_ID || id === hubIdentityId || definitions.has(id);
}

/** The answer when someone tries to delete or purge one of them. */
export const HUB_DEFINITION_KEPT = (id: string) => `${id} is one of the hub's own definitions, which it serves in every collection it writes to; it is not deleted`;
