import type { EventBacklog } from '../../services/delivery/delivery-backlog';

/**
 * A webhook's or forward's backlog in its `delivery` (services/delivery/delivery-backlog.ts): the
 * events waiting, counted up to a cap (`backlog_more` when there are more); `backlog` is null when
 * the delivery's user may read nothing now.
 */
export const backlogJson = (b: EventBacklog | null) => ({ backlog: b === null ? null : b.events, backlog_more: b?.more ?? false });
