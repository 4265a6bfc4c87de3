import type { Principal } from '../domain/principal';
import type { TlpLevel } from '../domain/tenancy';
import type { CollectionPolicy, CompiledPolicy, MembershipRule } from './compiled-policy';
import { topologyRule, type TopologyRule } from './group-topology';

export type Action = 'see-collection' | 'read' | 'write';

/**
 * An object as access sees it: who provided it, its TLP marking (if any), its named RED recipients and
 * its named readers (the providers of the objects a sighting, opinion or note reports on, who read the
 * report whatever its marking; absent means none).
 */
export interface ObjectFacts {
  readonly providerOrgId: string;
  readonly marking: TlpLevel | undefined;
  readonly recipients: readonly string[];
  readonly namedReaders?: readonly string[];
}

export type Target = { collectionId: string } | { collectionId: string; object: ObjectFacts };

/** Why an action was allowed. */
export const RULE_NAMES = [
  'operator', 'group-member', 'collection-owner', 'owner-community', 'own-object', 'reported-to-provider', 'tlp-clear', 'tlp-green-group',
  'horizontal-peer', 'vertical-ancestor', 'vertical-descendant', 'peer-link', 'peer-link-pass-down', 'red-named-recipient',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];
// Compile-time checks that every membership and topology rule is listed.
type _IsRule<T extends RuleName> = T;
type _MembershipRulesListed = _IsRule<MembershipRule>;
type _TopologyRulesListed = _IsRule<TopologyRule>;

/** What the principal may not do, and how the protocol layer answers: 401, 404, 403. */
export type DenialReason = 'anonymous' | 'not-visible' | 'not-permitted';

/**
 * What a 'not-permitted' principal lacks, so that the 403 can say it (the principal sees the
 * collection, so naming what it lacks there tells it nothing it may not know): the consumer role to
 * read, the provider role to write, a write entitlement (its organization only reads the collection),
 * or its own name on what it writes.
 */
export type Missing = 'consumer-role' | 'provider-role' | 'write-entitlement' | 'own-name';

export type Decision = { allowed: true; rule: RuleName } | { allowed: false; reason: DenialReason; missing?: Missing };

const ANONYMOUS: Decision = Object.freeze({ allowed: false, reason: 'anonymous' });
const NOT_VISIBLE: Decision = Object.freeze({ allowed: false, reason: 'not-visible' });
const NOT_PERMITTED = Object.freeze({
  'consumer-role': Object.freeze({ allowed: false, reason: 'not-permitted', missing: 'consumer-role' }),
  'provider-role': Object.freeze({ allowed: false, reason: 'not-permitted', missing: 'provider-role' }),
  'write-entitlement': Object.freeze({ allowed: false, reason: 'not-permitted', missing: 'write-entitlement' }),
  'own-name': Object.freeze({ allowed: false, reason: 'not-permitted', missing: 'own-name' }),
} satisfies Record<Missing, Decision>);

// One frozen decision per rule: decide() allocates nothing on its hot path.
const ALLOWED = Object.freeze(Object.fromEntries(RULE_NAMES.map((rule) => [rule, Object.freeze({ allowed: true, rule })])) as Record<RuleName, Decision>);
function allowed(rule: RuleName): Decision {
  return ALLOWED[rule];
}

/**
 * May `who` perform `action` on the target? See the module documentation (./index) for the rules.
 * Order of questions: authenticated? collection exists? operator? collection visible to the
 * principal's organization? role for the action? then, for an object, provider/TLP/topology.
 */
export function decide(policy: CompiledPolicy, who: Principal | undefined, action: Action, target: Target): Decision {
  if (who === undefined) return ANONYMOUS;
  const cp = policy.collections.get(target.collectionId);
  if (cp === undefined) return NOT_VISIBLE;
  if (who.roles.has('operator')) return ALLOWED.operator;
  const org = who.organizationId;
  const entitlement = cp.entitled.get(org);
  if (entitlement === undefined) return NOT_VISIBLE;
  if (action === 'see-collection') return allowed(entitlement.rule);
  if (action === 'write') {
    if (!who.roles.has('provider')) return NOT_PERMITTED['provider-role'];
    if (!entitlement.write) return NOT_PERMITTED['write-entitlement'];
    // A provider writes in its own name only.
    if ('object' in target && target.object.providerOrgId !== org) return NOT_PERMITTED['own-name'];
    return allowed(entitlement.rule);
  }
  if (!who.roles.has('consumer')) return NOT_PERMITTED['consumer-role'];
  if (!('object' in target)) return allowed(entitlement.rule);
  const rule = objectReadRule(cp, org, target.object);
  // An object the consumer may not read does not exist for it, like an invisible collection.
  return rule === undefined ? NOT_VISIBLE : allowed(rule);
}

/**
 * Why organization `org`, entitled to the collection, may read the object; undefined when it may not.
 * Shared by decide() and the recipients preview so both always say the same.
 */
export function objectReadRule(cp: CollectionPolicy, org: string, object: ObjectFacts): RuleName | undefined {
  const provider = object.providerOrgId;
  if (provider === org) return 'own-object';
  // A report (sighting, opinion, note) reaches the provider of what it reports on, whatever its marking.
  if (object.namedReaders !== undefined && object.namedReaders.includes(org)) return 'reported-to-provider';
  switch (object.marking ?? cp.collection.defaultMarking) {
    case 'clear':
      return 'tlp-clear';
    case 'green':
      // The community: every member of the owning group (or of any group containing the owning
      // organization), which is exactly the set of organizations entitled to the collection.
      return 'tlp-green-group';
    case 'amber':
      return groupsRule(cp, provider, org, true);
    case 'amber+strict':
      return groupsRule(cp, provider, org, false);
    case 'red':
      return object.recipients.includes(org) ? 'red-named-recipient' : undefined;
  }
}

function groupsRule(cp: CollectionPolicy, provider: string, consumer: string, passDown: boolean): TopologyRule | undefined {
  for (const group of cp.groups) {
    const rule = topologyRule(group, provider, consumer, passDown);
    if (rule !== undefined) return rule;
  }
  return undefined;
}

export interface CollectionAccess {
  readonly canRead: boolean;
  readonly canWrite: boolean;
}

/** TAXII's per-client `can_read` / `can_write`; undefined when the collection is not visible to `who`. */
export function collectionAccess(policy: CompiledPolicy, who: Principal | undefined, collectionId: string): CollectionAccess | undefined {
  if (decide(policy, who, 'see-collection', { collectionId }).allowed !== true) return undefined;
  return {
    canRead: decide(policy, who, 'read', { collectionId }).allowed,
    canWrite: decide(policy, who, 'write', { collectionId }).allowed,
  };
}
