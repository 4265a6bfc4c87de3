import { HUB_EXTENSION_ID } from '../../../domain/hub-extension';
import { tlpMarkingDefinition, tlpMarkingIdsOf } from '../../../domain/sharing/tlp-marking-definitions';
import type { ChangeEvent, ChangeOperation } from '../../../storage/change-feed-store';
import type { ForwardFilter } from '../../../storage/forward-store';

/**
 * What a forward sends of a batch of change events, and how it packs them into TAXII 2.1 envelopes.
 *
 * - Version events (created, updated, revoked, benign) and access-gained (the head now readable) are
 *   sent as the STIX objects they carry, unchanged: a revocation or a benign mark is the new version
 *   it is (`revoked: true`), and TAXII Add Objects is idempotent for the same id and version, so a
 *   batch sent again after a failure is harmless.
 * - Removals TAXII 2.1 cannot express (deleted, purged, access-lost) are skipped and counted, and so
 *   is `expired`: the expiry needs nothing, the object's valid_until travelled with it.
 * - The hub extension's definition is skipped: its id is the same on every taxii-hub, so a remote hub
 *   holds its own (another copy, naming another hub's identity, is a conflicting version there), and
 *   STIX consumers process objects whose extension definition they do not hold.
 * - Objects outside the forward's filter are skipped (types; kinds for indicators).
 * - What the objects name comes with them: the published TLP marking-definitions they use, and the
 *   identities they name as created_by_ref (read by the caller under the same read scope).
 */

export type StixObject = Readonly<Record<string, unknown>>;

const SENT_OPERATIONS: ReadonlySet<ChangeOperation> = new Set(['created', 'updated', 'revoked', 'benign', 'access-gained']);

export interface ForwardSelection {
  /** The objects to send, in event order (one per id and version). */
  readonly objects: readonly StixObject[];
  /** Events passed over: removals, expiries, filtered out, the hub extension's definition. */
  readonly skipped: number;
}

function kindOf(object: StixObject): string | undefined {
  const extension = (object.extensions as Record<string, { kind?: unknown }> | undefined)?.[HUB_EXTENSION_ID];
  return typeof extension?.kind === 'string' ? extension.kind : undefined;
}

/** Does the filter let this object through? */
export function passesFilter(filter: ForwardFilter, object: StixObject): boolean {
  const type = String(object.type);
  if (filter.types !== undefined && filter.types.length > 0 && !filter.types.includes(type)) return false;
  if (type === 'indicator' && filter.kinds !== undefined && filter.kinds.length > 0) {
    const kind = kindOf(object);
    if (kind === undefined || !filter.kinds.includes(kind)) return false;
  }
  return true;
}

export function selectForwarded(events: readonly ChangeEvent[], filter: ForwardFilter): ForwardSelection {
  const objects: StixObject[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const event of events) {
    if (!SENT_OPERATIONS.has(event.operation) || event.json === undefined || event.objectId === HUB_EXTENSION_ID) {
      skipped += 1;
      continue;
    }
    let object: unknown;
    try {
      object = JSON.parse(event.json);
    } catch {
      skipped += 1;
      continue;
    }
    if (typeof object !== 'object' || object === null || Array.isArray(object) || !passesFilter(filter, object as StixObject)) {
      skipped += 1;
      continue;
    }
    const key = `${event.objectId} ${String((object as StixObject).modified ?? '')}`;
    if (seen.has(key)) continue; // the same version twice (an access-gained head also stored in the range)
    seen.add(key);
    objects.push(object as StixObject);
  }
  return { objects, skipped };
}

/** The creator identities the objects name that are not among them. */
export function missingCreators(objects: readonly StixObject[]): string[] {
  const present = new Set(objects.map((o) => String(o.id)));
  const missing = new Set<string>();
  for (const object of objects) {
    const creator = object.created_by_ref;
    if (typeof creator === 'string' && creator.startsWith('identity--') && !present.has(creator)) missing.add(creator);
  }
  return [...missing];
}

/** The published TLP marking-definitions the objects name and do not carry. */
export function missingMarkingDefinitions(objects: readonly StixObject[]): StixObject[] {
  const present = new Set(objects.map((o) => String(o.id)));
  const ids = new Set<string>();
  for (const object of objects) for (const id of tlpMarkingIdsOf(object)) if (!present.has(id)) ids.add(id);
  return [...ids].flatMap((id) => {
    const definition = tlpMarkingDefinition(id);
    return definition !== undefined ? [definition] : [];
  });
}

/**
 * The objects as TAXII 2.1 envelope bodies of at most `maxObjects` objects and about `maxBytes`
 * bytes each (an object larger than maxBytes goes alone: the remote says whether it takes it).
 */
export function packEnvelopes(objects: readonly StixObject[], maxObjects: number, maxBytes: number): string[] {
  const bodies: string[] = [];
  let current: string[] = [];
  let size = 0;
  const overhead = '{"objects":[]}'.length;
  const flush = () => {
    if (current.length > 0) bodies.push(`{"objects":[${current.join(',')}]}`);
    current = [];
    size = 0;
  };
  for (const object of objects) {
    const text = JSON.stringify(object);
    const bytes = Buffer.byteLength(text, 'utf8') + 1;
    if (current.length > 0 && (current.length >= maxObjects || overhead + size + bytes > maxBytes)) flush();
    current.push(text);
    size += bytes;
  }
  flush();
  return bodies;
}
