import { HUB_EXTENSION_ID } from '../hub-extension';
import { TLP2_MARKING_REFS } from '../tlp';
import type { TlpLevel } from '../tenancy';

/**
 * The pivot as STIX 2.1 (format=stix, issue 15 §1): a bundle holding a `grouping` of the objects
 * the graph names (context suspicious-activity, made by the hub) and those objects as the caller
 * may read them. The grouping is marked no looser than the strictest object it names; a TLP:RED
 * grouping names the caller's organization as its recipient only when every RED object does (a
 * RED object the caller reads as its provider or an operator gives a grouping with no recipients).
 */

export interface GroupedObject {
  readonly object: Readonly<Record<string, unknown>>;
  readonly tlp: TlpLevel;
  readonly recipients: readonly string[];
}

export interface GroupingRequest {
  readonly id: string;
  readonly bundleId: string;
  readonly hubIdentityId: string;
  /** STIX timestamp of now. */
  readonly created: string;
  /** What the pivot started from, for the grouping's name. */
  readonly about: string;
  /** The caller's organization. */
  readonly reader: string;
  readonly members: readonly GroupedObject[];
}

const TLP_ORDER: readonly TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

/** The strictest TLP of the members (CLEAR for none). */
export function strictestTlp(levels: readonly TlpLevel[]): TlpLevel {
  return levels.reduce<TlpLevel>((worst, l) => (TLP_ORDER.indexOf(l) > TLP_ORDER.indexOf(worst) ? l : worst), 'clear');
}

/** The bundle; with no member (nothing related that the caller may read) it holds no grouping, which needs one. */
export function pivotBundle(request: GroupingRequest): Record<string, unknown> {
  if (request.members.length === 0) return { type: 'bundle', id: request.bundleId };
  const tlp = strictestTlp(request.members.map((m) => m.tlp));
  const reds = request.members.filter((m) => m.tlp === 'red');
  const named = tlp === 'red' && reds.every((m) => m.recipients.includes(request.reader));
  const grouping = {
    type: 'grouping',
    spec_version: '2.1',
    id: request.id,
    created: request.created,
    modified: request.created,
    created_by_ref: request.hubIdentityId,
    name: `Pivot on ${request.about}`,
    context: 'suspicious-activity',
    object_refs: [...new Set(request.members.map((m) => m.object.id as string))],
    object_marking_refs: [TLP2_MARKING_REFS[tlp]],
    ...(named ? { extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', red_recipients: [request.reader] } } } : {}),
  };
  // An object stored in two collections (a confirmed campaign, an object posted to both) is two
  // nodes but one object: a bundle may hold an id twice only as two versions (different `modified`).
  const versions = new Set<string>();
  const objects = request.members
    .map((m) => m.object)
    .filter((o) => {
      const version = `${String(o.id)} ${String(o.modified ?? o.created ?? '')}`;
      if (versions.has(version)) return false;
      versions.add(version);
      return true;
    });
  return { type: 'bundle', id: request.bundleId, objects: [grouping, ...objects] };
}
