import type { WarningLists } from './domain/warning-lists';
import { FEED_RENDERERS } from './domain/feeds/feed-renderers';
import { FEED_FORMATS, type FeedFormat, type FeedRenderer } from './domain/feeds/feed-formats';
import { readWarningLists } from './config/warning-list-files';
import type { CollectionService } from './services/collection-service';
import type { ChangeFeedService } from './services/delivery/change-feed/change-feed-service';
import { createFeedService, type FeedService } from './services/feeds/feed-service';
import { feedSelection } from './services/feeds/feed-selection';
import type { PollRecorder } from './services/poll-marks/poll-recorder';
import type { PolicyService } from './services/policy-service';
import type { ChangeFeedStore } from './storage/change-feed-store';
import type { Database } from './storage/sql/database';
import { SqlSensorFeedStore } from './storage/sql/sql-sensor-feed-store';

/** The sensor-feed part of the composition root: the feed service over the SQL stores, the renderers and the warning lists. */
export interface FeedParts {
  readonly db: Database;
  readonly policy: PolicyService;
  readonly collections: CollectionService;
  readonly changeFeed: ChangeFeedService;
  readonly changeFeedStore: Pick<ChangeFeedStore, 'lastPosition'>;
  readonly hubName: string;
  /** The compiled warning lists; the built-in lists when not given. */
  readonly warningLists?: WarningLists;
  /** The rendered-feed cache's bound in bytes. */
  readonly cacheBytes?: number;
  /** Records feed reads as polls (last poll and lag). */
  readonly polls?: Pick<PollRecorder, 'polled'>;
}

/** The built-in warning lists (the data files under schemas/warning-lists). */
export function builtInWarningLists(): WarningLists {
  const reading = readWarningLists();
  if (!reading.ok) throw new Error(`the built-in warning lists do not compile: ${reading.problems.map((p) => `${p.source} ${p.path}: ${p.message}`).join('; ')}`);
  return reading.lists;
}

export function composeFeeds(parts: FeedParts): FeedService {
  const renderers = new Map<FeedFormat, FeedRenderer>(FEED_FORMATS.map((format) => [format, FEED_RENDERERS[format]]));
  return createFeedService({
    collections: parts.collections,
    policy: parts.policy,
    feeds: new SqlSensorFeedStore(parts.db),
    positions: parts.changeFeedStore,
    changeFeed: parts.changeFeed,
    renderers,
    selection: feedSelection(parts.warningLists ?? builtInWarningLists()),
    hubName: parts.hubName,
    ...(parts.cacheBytes !== undefined ? { cacheBytes: parts.cacheBytes } : {}),
    ...(parts.polls !== undefined ? { polls: parts.polls } : {}),
  });
}
