import type { CompiledPolicy } from '../../access';
import { readScope, type ReadScope } from '../../access/read-scope';
import type { Principal } from '../../domain/principal';
import type { Collection, User } from '../../domain/tenancy';
import type { Subscription } from '../../storage/subscription-store';
import { readerOf } from './delivery-owners';

/**
 * What a subscription's owner may read now (SB-10): rights are evaluated at every delivery, from the
 * user's current organization and roles and the current policy, never remembered from subscribe time.
 */
export type SubscriberAccess =
  | { readonly ok: true; readonly principal: Principal; readonly scope: ReadScope; readonly collection: Collection }
  /**
   * Delivery must pause. `readLost` is present when the subscriber still exists but may no longer
   * read the collection at all: what it could read before is lost, which the engine tells it first.
   */
  | { readonly ok: false; readonly reason: string; readonly readLost?: { readonly principal: Principal; readonly collection: Collection } };

export async function subscriberAccess(users: { get(id: string): Promise<User | undefined> }, policy: CompiledPolicy, subscription: Subscription): Promise<SubscriberAccess> {
  const user = await users.get(subscription.userId);
  if (!user) return { ok: false, reason: 'delivery paused: the user who subscribed no longer exists' };
  if (user.disabled) return { ok: false, reason: `delivery paused: the user '${user.username}' who subscribed is disabled` };
  if (user.organizationId !== subscription.organizationId) {
    return { ok: false, reason: `delivery paused: the user '${user.username}' who subscribed no longer belongs to organization '${subscription.organizationId}'` };
  }
  const compiled = policy.collections.get(subscription.collectionId);
  if (!compiled) return { ok: false, reason: 'delivery paused: the collection no longer exists' };
  // The subscriber as if it polled now (the authentication method plays no part in read access).
  const principal = readerOf(user);
  const scope = readScope(policy, principal, subscription.collectionId);
  if (scope.kind === 'none') {
    return {
      ok: false,
      reason: `delivery paused: '${user.username}' of organization '${user.organizationId}' may no longer read collection '${compiled.collection.alias ?? compiled.collection.id}'`,
      readLost: { principal, collection: compiled.collection },
    };
  }
  return { ok: true, principal, scope, collection: compiled.collection };
}
