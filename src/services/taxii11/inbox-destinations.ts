import { collectionAccess, type CompiledPolicy } from '../../access';
import { hubError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import type { Collection } from '../../domain/tenancy';
import type { PolicyService } from '../policy-service';

/**
 * Where an Inbox_Message may go. A TAXII 1.1 collection name is the collection's alias, else its id.
 * The lead may plug in the shared TAXII 1.1 collection resolver instead of the policy-backed default
 * below: the Inbox only needs these two questions answered.
 */
export interface InboxDestinations {
  /**
   * The collection `name` names, when the principal may write it: NOT_FOUND (ITEM = the name) when it
   * does not exist or the principal may not see it (one answer for both), FORBIDDEN when it may see but
   * not write it.
   */
  resolveWritable(who: Principal, name: string): Promise<Destination>;
  /** Every collection the principal may write, by name (the ACCEPTABLE_DESTINATION list). */
  writableCollections(who: Principal): Promise<Destination[]>;
}

export interface Destination {
  readonly name: string;
  readonly collection: Collection;
}

/** The TAXII 1.1 name of a collection: its alias, else its id. */
export function taxii11Name(collection: Collection): string {
  return collection.alias ?? collection.id;
}

const notFound = (name: string) =>
  hubError('NOT_FOUND', { description: `There is no collection ${name}`, statusDetails: [{ name: 'ITEM', value: name }] });

/**
 * Names resolved from the compiled policy, across API roots: an id names its collection; an alias
 * names the one collection with that alias the principal can see. An alias two visible collections
 * share (in different API roots) names neither: the answer lists the principal's writable
 * collections, where each such collection appears by its id.
 */
export function policyDestinations(policy: Pick<PolicyService, 'current'>): InboxDestinations {
  const visible = (p: CompiledPolicy, who: Principal) =>
    [...p.collections.values()].flatMap(({ collection }) => {
      const access = collectionAccess(p, who, collection.id);
      return access === undefined ? [] : [{ collection, canWrite: access.canWrite }];
    });

  const writable = (p: CompiledPolicy, who: Principal): Destination[] => {
    const seen = visible(p, who);
    const aliasCount = new Map<string, number>();
    for (const { collection } of seen) if (collection.alias !== null) aliasCount.set(collection.alias, (aliasCount.get(collection.alias) ?? 0) + 1);
    return seen
      .filter((v) => v.canWrite)
      .map(({ collection }) => ({ collection, name: collection.alias !== null && aliasCount.get(collection.alias) === 1 ? collection.alias : collection.id }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  };

  return {
    async resolveWritable(who, name) {
      const p = await policy.current();
      const seen = visible(p, who);
      const byId = seen.filter((v) => v.collection.id === name);
      const matches = byId.length > 0 ? byId : seen.filter((v) => v.collection.alias === name);
      const [match] = matches;
      if (match === undefined) throw notFound(name);
      if (matches.length > 1) {
        const acceptable = writable(p, who);
        throw hubError('DESTINATION_COLLECTION_ERROR', {
          description: `The name ${name} is the alias of ${matches.length} collections: name the collection by its id`,
          statusDetails: acceptable.map((d) => ({ name: 'ACCEPTABLE_DESTINATION', value: d.name })),
        });
      }
      if (!match.canWrite) throw hubError('FORBIDDEN', `You may not write to collection ${name}`);
      return { name, collection: match.collection };
    },
    async writableCollections(who) {
      return writable(await policy.current(), who);
    },
  };
}
