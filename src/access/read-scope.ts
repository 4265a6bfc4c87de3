import type { Principal } from '../domain/principal';
import type { TlpLevel } from '../domain/tenancy';
import { decide, type ObjectFacts } from './access-decision';
import type { CompiledPolicy } from './compiled-policy';
import { addProvidersReadableBy } from './group-topology';

/**
 * What a store query needs to return only the objects a principal may read, so the filter runs
 * inside the query (no fetch-then-filter, and pagination counts only readable objects).
 *
 * `filtered`: an object is readable iff
 *   provider = self
 *   OR self ∈ namedReaders
 *   OR effective marking ∈ openMarkings
 *   OR (effective marking = 'amber' AND provider ∈ amberProviders)
 *   OR (effective marking = 'amber+strict' AND provider ∈ strictProviders)
 *   OR (effective marking = 'red' AND redRecipient ∈ recipients)
 * where an unmarked object's effective marking is defaultMarking.
 */
export type ReadScope =
  | { kind: 'none' }
  | { kind: 'all' }
  | {
      kind: 'filtered';
      self: string;
      openMarkings: TlpLevel[];
      amberProviders: string[];
      strictProviders: string[];
      redRecipient: string;
      defaultMarking: TlpLevel;
    };

export function readScope(policy: CompiledPolicy, who: Principal | undefined, collectionId: string): ReadScope {
  const decision = decide(policy, who, 'read', { collectionId });
  if (!decision.allowed || who === undefined) return { kind: 'none' };
  if (decision.rule === 'operator') return { kind: 'all' };
  const cp = policy.collections.get(collectionId);
  if (cp === undefined) return { kind: 'none' };
  const self = who.organizationId;
  const amber = new Set<string>();
  const strict = new Set<string>();
  for (const group of cp.groups) {
    addProvidersReadableBy(group, self, true, amber);
    addProvidersReadableBy(group, self, false, strict);
  }
  return {
    kind: 'filtered',
    self,
    // Every consumer that may read the collection is in its community, so CLEAR and GREEN are open.
    openMarkings: ['clear', 'green'],
    amberProviders: [...amber].sort(),
    strictProviders: [...strict].sort(),
    redRecipient: self,
    defaultMarking: cp.collection.defaultMarking,
  };
}

/** The ReadScope predicate in TypeScript: the reference the SQL translation is tested against. */
export function objectVisibleUnderScope(scope: ReadScope, object: ObjectFacts): boolean {
  if (scope.kind !== 'filtered') return scope.kind === 'all';
  if (object.providerOrgId === scope.self) return true;
  if (object.namedReaders !== undefined && object.namedReaders.includes(scope.self)) return true;
  const marking = object.marking ?? scope.defaultMarking;
  if (scope.openMarkings.includes(marking)) return true;
  switch (marking) {
    case 'amber':
      return scope.amberProviders.includes(object.providerOrgId);
    case 'amber+strict':
      return scope.strictProviders.includes(object.providerOrgId);
    case 'red':
      return object.recipients.includes(scope.redRecipient);
    default:
      return false;
  }
}

/**
 * The scope a report's named readers are worked out under (see ./index, section 3): what the writer's
 * organization may read in the collection, whatever this principal's roles — a provider-only key
 * reporting for its organization names the providers a reader of that organization would. Operators
 * read everything.
 */
export function reporterScope(policy: CompiledPolicy, who: Principal, collectionId: string): ReadScope {
  const reader = who.roles.has('consumer') ? who : { ...who, roles: new Set([...who.roles, 'consumer' as const]) };
  return readScope(policy, reader, collectionId);
}
