import { TLP_LEVELS, type TlpLevel } from './tenancy';

/**
 * Traffic Light Protocol 2.0 as STIX 2.1 expresses it.
 *
 * TLP 2.0 markings are the marking-definition objects of the OASIS extension
 * `extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d` (cti-stix-common-objects,
 * tlp-2.0). STIX 2.1 itself predefines the TLP 1.0 markings (white, green, amber, red); the hub
 * accepts those on input and reads TLP:WHITE as TLP:CLEAR. It always writes the TLP 2.0 ids.
 */

export type { TlpLevel } from './tenancy';

export const TLP2_EXTENSION_DEFINITION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The TLP 2.0 marking-definition ids (created 2022-10-01). */
export const TLP2_MARKING_REFS: Readonly<Record<TlpLevel, string>> = Object.freeze({
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
});

/** The TLP 1.0 marking-definition ids predefined by STIX 2.1 (created 2017-01-20), keyed by their TLP 2.0 reading. */
export const TLP1_MARKING_REFS: Readonly<Record<'clear' | 'green' | 'amber' | 'red', string>> = Object.freeze({
  clear: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', // TLP:WHITE
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
});

const LEVEL_BY_REF: ReadonlyMap<string, TlpLevel> = new Map<string, TlpLevel>([
  ...(Object.entries(TLP1_MARKING_REFS) as [TlpLevel, string][]).map(([level, ref]): [string, TlpLevel] => [ref, level]),
  ...(Object.entries(TLP2_MARKING_REFS) as [TlpLevel, string][]).map(([level, ref]): [string, TlpLevel] => [ref, level]),
]);

const RANK: Readonly<Record<TlpLevel, number>> = Object.freeze({ clear: 0, green: 1, amber: 2, 'amber+strict': 3, red: 4 });

export function isTlpLevel(value: string): value is TlpLevel {
  return (TLP_LEVELS as readonly string[]).includes(value);
}

/** The TLP level a marking-definition id stands for (TLP 2.0 or TLP 1.0), or undefined for any other marking. */
export function tlpFromMarkingRef(id: string): TlpLevel | undefined {
  return LEVEL_BY_REF.get(id);
}

/**
 * The TLP level of an object carrying these `object_marking_refs`: the strictest TLP marking among
 * them (a producer that attached two TLP markings meant the stricter one), or undefined when none is TLP.
 */
export function tlpFromMarkingRefs(ids: readonly string[]): TlpLevel | undefined {
  let level: TlpLevel | undefined;
  for (const id of ids) {
    const found = LEVEL_BY_REF.get(id);
    if (found !== undefined && (level === undefined || RANK[found] > RANK[level])) level = found;
  }
  return level;
}

/** The TLP 2.0 marking-definition id the hub writes for a level. */
export function markingRefFor(level: TlpLevel): string {
  return TLP2_MARKING_REFS[level];
}

/** Position in the order clear < green < amber < amber+strict < red (larger is stricter). */
export function tlpRank(level: TlpLevel): number {
  return RANK[level];
}

/** True when `a` lets the information travel further than `b`. */
export function isLooser(a: TlpLevel, b: TlpLevel): boolean {
  return RANK[a] < RANK[b];
}
