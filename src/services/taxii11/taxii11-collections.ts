import { collectionAccess, readScope, type CompiledPolicy } from '../../access';
import { hubError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import { OFFERED_CONTENT_BINDINGS } from '../../domain/taxii11/taxii-identifiers';
import type { Collection } from '../../domain/tenancy';
import type { FeedStore } from '../../storage/feed-store';
import { accessDenied } from '../access-errors';
import type { CollectionAction, CollectionResolution, CollectionService } from '../collection-service';
import type { PolicyService } from '../policy-service';

/**
 * TAXII 1.1 Collection Information (C-01..C-05, MT-01) and the gate of every TAXII 1.1 service that
 * names a collection (Poll, Poll Fulfillment, Inbox, Subscription Management).
 *
 * Every hub collection the caller can see, across API roots, is a TAXII 1.1 Data Feed of indicator
 * records, named by its TAXII 2.1 alias, or its id when it has none. Aliases are unique within an
 * API root but not across roots: when several collections the caller sees would share a name, each
 * of them is named `<api root id>/<alias>` instead (unique, since an alias is unique in its root, and
 * stable for as long as the caller sees the same collections). The names are worked out over what
 * the caller sees only, so another tenant's collection never shows, not even by renaming one of ours.
 *
 * Availability, can_read/can_write and the volume are per caller, from the same access decisions as
 * TAXII 2.1. Collection_Volume is "the typical number of records per day" (Svc Table 5): the hub
 * answers with the indicator records added in the last 24 hours that the caller may read (0 for a
 * caller that may not read the collection), so the figure never counts what the caller cannot read.
 */


/** What a TAXII 1.1 collection's records are: the versions of these STIX 2.1 types. */
export const TAXII11_RECORD_TYPES: readonly string[] = ['indicator'];

export interface Taxii11CollectionView {
  /** The TAXII 1.1 collection_name. */
  readonly name: string;
  readonly collection: Collection;
  readonly type: 'DATA_FEED';
  /** The caller may poll it (or subscribe to it). */
  readonly canRead: boolean;
  /** The caller may send content to it through an inbox. */
  readonly canWrite: boolean;
  /** TAXII's `available`: the caller may read or write it. */
  readonly available: boolean;
  /** The title, and the description after it when there is one. */
  readonly description: string;
  /** Readable indicator records added in the last 24 hours. */
  readonly volume: number;
  readonly contentBindings: readonly string[];
}

/** A collection the caller may act on, with what the action needs (for reading: the read scope) and its TAXII 1.1 name. */
export type Taxii11Resolution<A extends CollectionAction> = CollectionResolution[A] & { readonly name: string };

export interface Taxii11Collections {
  /** The collections the caller sees, sorted by name. */
  list(who: Principal): Promise<Taxii11CollectionView[]>;
  /**
   * The collection the caller calls `name`: AUTHENTICATION_REQUIRED without a caller, NOT_FOUND (ITEM:
   * the name) when no collection the caller sees has that name, FORBIDDEN when it sees it but may not
   * perform `action`. A read by an operator that only the operator role allows is audited.
   */
  resolve<A extends CollectionAction>(who: Principal | undefined, name: string, action: A): Promise<Taxii11Resolution<A>>;
}

export interface Taxii11CollectionsDeps {
  readonly collections: Pick<CollectionService, 'resolveForAction'>;
  readonly policy: Pick<PolicyService, 'current'>;
  readonly feed: Pick<FeedStore, 'count'>;
  /** Epoch milliseconds. */
  readonly now?: () => number;
}

const DAY_MICROS = 24 * 60 * 60 * 1_000_000;

interface Named {
  readonly name: string;
  readonly collection: Collection;
  readonly canRead: boolean;
  readonly canWrite: boolean;
}

/** The collections `who` sees with their TAXII 1.1 names (see the module comment), sorted by name. */
export function visibleCollections(policy: CompiledPolicy, who: Principal): Named[] {
  const seen: { collection: Collection; canRead: boolean; canWrite: boolean; base: string }[] = [];
  for (const { collection } of policy.collections.values()) {
    const access = collectionAccess(policy, who, collection.id);
    if (access) seen.push({ collection, ...access, base: collection.alias ?? collection.id });
  }
  const uses = new Map<string, number>();
  for (const s of seen) uses.set(s.base, (uses.get(s.base) ?? 0) + 1);
  return seen
    .map(({ collection, canRead, canWrite, base }) => ({
      name: (uses.get(base) ?? 0) > 1 && collection.alias !== null ? `${collection.apiRootId}/${collection.alias}` : base,
      collection,
      canRead,
      canWrite,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function notFoundCollection(name: string) {
  return hubError('NOT_FOUND', { description: `There is no collection ${name}`, statusDetails: [{ name: 'ITEM', value: name }] });
}

export function createTaxii11Collections(deps: Taxii11CollectionsDeps): Taxii11Collections {
  const now = deps.now ?? Date.now;

  return {
    async list(who) {
      const policy = await deps.policy.current();
      const since = now() * 1000 - DAY_MICROS;
      return Promise.all(
        visibleCollections(policy, who).map(async ({ name, collection, canRead, canWrite }) => {
          const scope = readScope(policy, who, collection.id);
          const volume = canRead ? await deps.feed.count({ collectionId: collection.id, scope, types: TAXII11_RECORD_TYPES, addedAfter: since }) : 0;
          return {
            name,
            collection,
            type: 'DATA_FEED' as const,
            canRead,
            canWrite,
            available: canRead || canWrite,
            description: collection.description === null || collection.description === '' ? collection.title : `${collection.title}: ${collection.description}`,
            volume,
            contentBindings: OFFERED_CONTENT_BINDINGS,
          };
        }),
      );
    },

    async resolve<A extends CollectionAction>(who: Principal | undefined, name: string, action: A): Promise<Taxii11Resolution<A>> {
      if (who === undefined) throw accessDenied('anonymous', `collection ${name}`);
      const found = visibleCollections(await deps.policy.current(), who).find((c) => c.name === name);
      if (found === undefined) throw notFoundCollection(name);
      // The access gate of TAXII 2.1 (FORBIDDEN, the operator's audited read, the read scope).
      const resolved = await deps.collections.resolveForAction(who, found.collection.apiRootId, found.collection.id, action);
      return { ...resolved, name };
    },
  };
}
