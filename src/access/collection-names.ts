import type { Principal } from '../domain/principal';
import { decide } from './access-decision';
import type { CollectionPolicy, CompiledPolicy } from './compiled-policy';

/**
 * The one way a client's name for a collection (its id, in any case, or its alias) becomes a
 * collection, for TAXII and the hub's own APIs alike. The id wins over an alias.
 *
 * - In an API root (TAXII URLs): the collection with that id in the root, else the one with that
 *   alias there (aliases are unique within an API root).
 * - Without one (the hub API, submissions, query parameters): among the collections the principal
 *   can see (so the answer never tells where an unseen collection lives), the one with that id, else
 *   the one with that alias; an alias seen in several API roots is ambiguous and must be given as an id.
 *
 * Whether the principal may read or write the collection is still the caller's access check; in an
 * API root a name found here may be a collection the principal may not see (answered as not found).
 */
export type CollectionLookup =
  | { readonly found: true; readonly collection: CollectionPolicy }
  | { readonly found: false; readonly reason: 'unknown' }
  | { readonly found: false; readonly reason: 'ambiguous'; readonly apiRoots: readonly string[] };

export interface CollectionScope {
  /** Look only in this API root (TAXII). */
  readonly apiRootId?: string;
  /** Outside an API root, whose visible collections an alias is looked up in. */
  readonly who?: Principal;
}

/** Per compiled policy, its collections by alias (built once, on first use). */
const aliasIndexes = new WeakMap<CompiledPolicy, ReadonlyMap<string, readonly CollectionPolicy[]>>();

function aliasIndex(policy: CompiledPolicy): ReadonlyMap<string, readonly CollectionPolicy[]> {
  let index = aliasIndexes.get(policy);
  if (!index) {
    const built = new Map<string, CollectionPolicy[]>();
    for (const cp of policy.collections.values()) {
      const alias = cp.collection.alias;
      if (alias === null) continue;
      const list = built.get(alias);
      if (list) list.push(cp);
      else built.set(alias, [cp]);
    }
    aliasIndexes.set(policy, built);
    index = built;
  }
  return index;
}

export function lookUpCollection(policy: CompiledPolicy, name: string, scope: CollectionScope = {}): CollectionLookup {
  const { apiRootId, who } = scope;
  const inScope = (cp: CollectionPolicy): boolean =>
    apiRootId !== undefined ? cp.collection.apiRootId === apiRootId : who === undefined || decide(policy, who, 'see-collection', { collectionId: cp.collection.id }).allowed;
  const byId = policy.collections.get(name) ?? policy.collections.get(name.toLowerCase());
  if (byId !== undefined && inScope(byId)) return { found: true, collection: byId };
  const candidates = (aliasIndex(policy).get(name) ?? []).filter(inScope);
  const [first] = candidates;
  if (first === undefined) return { found: false, reason: 'unknown' };
  if (candidates.length === 1) return { found: true, collection: first };
  return { found: false, reason: 'ambiguous', apiRoots: candidates.map((cp) => cp.collection.apiRootId).sort() };
}
