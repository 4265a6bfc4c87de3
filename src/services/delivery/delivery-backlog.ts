import type { CompiledPolicy } from '../../access';
import type { User } from '../../domain/tenancy';
import type { ChangeFeedStore } from '../../storage/change-feed-store';
import type { Subscription } from '../../storage/subscription-store';
import { subscriberAccess } from './subscriber-access';

/**
 * The backlog of a delivery that reads the change feed (a webhook, a TAXII 2.1 forward): the stored
 * events after its cursor that its user may read now, before the delivery's own filter (kinds,
 * operations, confidence), counted up to BACKLOG_CAP. Like a subscription's backlog, it is worked out
 * when asked, never stored; a user who may read nothing now has no backlog (null; the delivery's
 * last_error says why once the engine tried).
 */

export const BACKLOG_CAP = 1_000;

export interface EventBacklog {
  /** Events waiting, at most BACKLOG_CAP. */
  readonly events: number;
  /** True when more than BACKLOG_CAP are waiting. */
  readonly more: boolean;
}

export interface BacklogDeps {
  readonly changes: Pick<ChangeFeedStore, 'countEvents'>;
  readonly policy: { current(): Promise<CompiledPolicy> };
  readonly users: { get(id: string): Promise<User | undefined> };
}

/** `types`: only events about these STIX types (a forward's type filter), all when absent. */
export async function eventBacklog(deps: BacklogDeps, subscription: Subscription, types?: readonly string[]): Promise<EventBacklog | null> {
  const access = await subscriberAccess(deps.users, await deps.policy.current(), subscription);
  if (!access.ok) return null;
  const counted = await deps.changes.countEvents(
    { collectionId: subscription.collectionId, scope: access.scope, after: subscription.cursor, ...(types !== undefined && types.length > 0 ? { types } : {}) },
    BACKLOG_CAP,
  );
  return { events: Math.min(counted, BACKLOG_CAP), more: counted > BACKLOG_CAP };
}
