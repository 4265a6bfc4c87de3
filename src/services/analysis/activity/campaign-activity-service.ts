import type { CompiledPolicy } from '../../../access/compiled-policy';
import { activityNotices, DEFAULT_ACTIVITY_THRESHOLDS, type ActivityThresholds, type FurtherMember } from '../../../domain/analysis/campaign-activity';
import type { ActivityEvent, CampaignActivityStore } from '../../../storage/campaign-activity-store';
import { FEED_ENTRY_DERIVATION } from '../../feeds/feed-derivation';
import type { IndexedBatch } from '../analysis-indexer';
import { activityAudience } from './activity-audience';

/**
 * Early warning (issue 15 §3): when the analysis indexer has keyed a batch, each new submission in it
 * (an indicator's first version, active) that joins a campaign or a campaign candidate is announced,
 * through the change feed, to the organizations that may read it and its neighbours: a
 * `campaign-activity` event in the feed of each collection holding a neighbour, one per group of
 * organizations that get the same notice (domain/analysis/campaign-activity.ts), readable by that
 * group alone (tlp red, recipients = the group). Every channel of the delivery engine then carries it
 * like any other event (webhooks, streams); those that keep objects pass it over.
 *
 * Per batch: one query for the new indicators and their neighbours, one for the members a step
 * further, one for the campaigns the neighbours indicate, one transaction per collection written to.
 */

export interface CampaignActivityDeps {
  readonly store: CampaignActivityStore;
  readonly policy: { current(): Promise<CompiledPolicy> };
  /** Wakes the delivery engine and streams for a collection that got events. */
  readonly notify: (collectionId: string) => void;
  /** The candidate thresholds given in `hub.analysis.campaign_candidates` (the others keep their defaults). */
  readonly thresholds?: Partial<ActivityThresholds>;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
}

export interface CampaignActivity {
  /** The indexer's listener (`indexer.onIndexed`): announces what the batch's new indicators join; resolves once written. */
  onIndexed(batch: IndexedBatch): Promise<void>;
}

const DAY_MICROS = 86_400_000_000;
/**
 * How recent a version must be (added, and created by its STIX `created`) to be announced: the
 * indexer keys a write within seconds, so this only leaves out history (the first pass over a
 * store, old intelligence imported with its dates), which is no early warning.
 */
export const ANNOUNCED_WITHIN_MS = 3_600_000;

export function createCampaignActivity(deps: CampaignActivityDeps): CampaignActivity {
  const now = deps.now ?? Date.now;
  const thresholds: ActivityThresholds = { ...DEFAULT_ACTIVITY_THRESHOLDS, ...deps.thresholds };
  return {
    async onIndexed(batch) {
      const nowMicros = now() * 1000;
      const found = await deps.store.neighbours({
        collectionId: batch.collectionId,
        dateAdded: batch.versions.map((v) => v.dateAdded),
        windowMicros: thresholds.windowDays * DAY_MICROS,
        nowMicros,
        derivation: FEED_ENTRY_DERIVATION,
        addedSince: nowMicros - ANNOUNCED_WITHIN_MS * 1000,
        createdSince: new Date(now() - ANNOUNCED_WITHIN_MS).toISOString(),
      });
      const joined = found.filter((f) => f.neighbours.length > 0);
      if (joined.length === 0) return;
      // One step further (one query for the batch): the candidate also grows through its neighbours' neighbours.
      const hop = new Map(joined.flatMap((f) => f.neighbours).map((n) => [`${n.collectionId} ${n.dateAdded}`, { collectionId: n.collectionId, dateAdded: n.dateAdded }]));
      const added = joined.map((f) => f.indicator.dateAdded);
      const window = thresholds.windowDays * DAY_MICROS;
      const beyond = await deps.store.further({ members: [...hop.values()], from: Math.min(...added) - window, to: Math.max(...added) + window, nowMicros });
      const members = new Map(joined.flatMap((f) => f.neighbours).map((n) => [`${n.collectionId} ${n.id}`, { collectionId: n.collectionId, id: n.id }]));
      const campaigns = await deps.store.campaignLinks([...members.values()]);
      const audience = activityAudience(await deps.policy.current());
      const byCollection = new Map<string, ActivityEvent[]>();
      for (const { indicator, neighbours } of joined) {
        const linked = campaigns.filter((c) => neighbours.some((n) => n.collectionId === c.collectionId && n.id === c.indicatorId));
        const own = new Set(neighbours.map((n) => `${n.collectionId} ${n.id}`));
        const further = new Map<string, FurtherMember>();
        for (const { via, member } of beyond) {
          if (!own.has(via)) continue;
          const key = `${member.collectionId} ${member.id}`;
          const known = further.get(key);
          further.set(key, { ...member, via: [...(known?.via ?? []), via] });
        }
        for (const notice of activityNotices({ indicator, neighbours, further: [...further.values()], campaigns: linked }, audience, thresholds)) {
          const events = byCollection.get(notice.collectionId) ?? [];
          events.push({ indicator, recipients: notice.recipients, json: JSON.stringify(notice.document) });
          byCollection.set(notice.collectionId, events);
        }
      }
      for (const [collectionId, events] of byCollection) {
        if ((await deps.store.announce(collectionId, events, nowMicros)) > 0) deps.notify(collectionId);
      }
    },
  };
}
