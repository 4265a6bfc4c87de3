import { decide } from '../../access';
import { hubError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import type { Collection } from '../../domain/tenancy';
import { accessDenied } from '../access-errors';
import type { PolicyService } from '../policy-service';
import { notFoundCollection, visibleCollections } from './taxii11-collections';

/**
 * Where an Inbox_Message may go, by TAXII 1.1 collection name (as Collection Information names the
 * collections: see taxii11-collections.ts). The Inbox only needs these two questions answered.
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

/**
 * The destinations straight from the compiled policy, with the names of taxii11-collections.ts
 * (visibleCollections) and without what its list() also works out (volumes, which cost a count per
 * collection): the answers Taxii11Collections.resolve(who, name, 'write') and list() give.
 */
export function policyDestinations(policy: Pick<PolicyService, 'current'>): InboxDestinations {
  return {
    async resolveWritable(who, name) {
      const compiled = await policy.current();
      const found = visibleCollections(compiled, who).find((c) => c.name === name);
      if (found === undefined) throw notFoundCollection(name);
      if (!found.canWrite) {
        // Says what is missing (the provider role, a write entitlement), as TAXII 2.1 does.
        const decision = decide(compiled, who, 'write', { collectionId: found.collection.id });
        throw decision.allowed ? hubError('FORBIDDEN', `You may not write to collection ${name}`) : accessDenied(decision.reason, `collection ${name}`, decision.missing);
      }
      return { name, collection: found.collection };
    },
    async writableCollections(who) {
      return visibleCollections(await policy.current(), who)
        .filter((c) => c.canWrite)
        .map(({ name, collection }) => ({ name, collection }));
    },
  };
}
