import type { Logger } from 'pino';
import { createAnalysisIndexer, type AnalysisIndexer } from './services/analysis/analysis-indexer';
import { createCampaignActivity } from './services/analysis/activity/campaign-activity-service';
import type { ChangeNotifier } from './services/delivery/change-feed/change-notifier';
import type { Database } from './storage/sql/database';
import { createPivotService, type PivotService, type PivotServiceDeps } from './services/analysis/pivot/pivot-service';
import { FEED_ENTRY_DERIVATION } from './services/feeds/feed-derivation';
import type { CollectionService } from './services/collection-service';
import type { PolicyService } from './services/policy-service';
import type { SightingService } from './services/sightings/sighting-service';
import { SqlPivotStore } from './storage/sql/sql-pivot-store';
import { SqlAnalysisKeyStore } from './storage/sql/sql-analysis-key-store';
import { SqlCampaignActivityStore } from './storage/sql/sql-campaign-activity-store';
import { SqlSensorFeedStore } from './storage/sql/sql-sensor-feed-store';
import { createCampaignCandidateService, type CampaignCandidateDeps, type CampaignCandidateService } from './services/analysis/campaigns/campaign-candidate-service';
import { SqlCampaignStore } from './storage/sql/sql-campaign-store';
import { SqlHubSecretRepository } from './storage/sql/repositories/hub-secret-repository';

/**
 * The analysis part of the composition root (issue 15): the indexer that gives indicator versions
 * their analysis keys, woken by every committed write, and the services that read them (pivot,
 * campaign candidates, early warning).
 */
export interface AnalysisParts {
  readonly db: Database;
  readonly logger: Logger;
  readonly changes: ChangeNotifier;
  readonly policy: Pick<PolicyService, 'current'>;
  readonly collections: Pick<CollectionService, 'resolveForAction'>;
  /** Sighting figures on the pivot's indicator nodes. */
  readonly sightings?: Pick<SightingService, 'figuresOf'>;
  /** The pivot's STIX form (format=stix): the hub's identity and the validator its grouping passes. */
  readonly pivotStix?: Pick<PivotServiceDeps, 'hubIdentity' | 'validateStix'>;
  /** Campaign candidates: how a confirmation publishes (the sharing services' write path) and the thresholds (hub.analysis.campaign_candidates). */
  readonly campaignCandidates: Pick<CampaignCandidateDeps, 'objects' | 'tenancy' | 'validate' | 'hubIdentity' | 'thresholds'>;
}

export interface Analysis {
  /** Started by the server beside the delivery engine; tests call catchUp() through the services. */
  readonly indexer: AnalysisIndexer;
  /** GET /api/pivot (issue 15 §1). */
  readonly pivot: PivotService;
  /** GET /api/campaign-candidates, confirm and reject (issue 15 §2). */
  readonly campaigns: CampaignCandidateService;
}

export function composeAnalysis(parts: AnalysisParts): Analysis {
  const indexer = createAnalysisIndexer({
    keys: new SqlAnalysisKeyStore(parts.db),
    feeds: new SqlSensorFeedStore(parts.db),
    onError: (error) => parts.logger.warn({ err: error }, 'indexing indicators for analysis failed; the next pass retries'),
    onListenerError: (error, batch, final) =>
      parts.logger.warn(
        { err: error, collection: batch.collectionId, versions: batch.versions.length },
        final ? 'early warning: announcing what newly keyed indicators join failed again; this batch is not announced' : 'early warning: announcing what newly keyed indicators join failed; the next round tries again',
      ),
  });
  parts.changes.subscribe(() => indexer.wake());
  const pivot = createPivotService({
    policy: parts.policy,
    collections: parts.collections,
    store: new SqlPivotStore(parts.db, FEED_ENTRY_DERIVATION),
    ...(parts.sightings !== undefined ? { sightings: parts.sightings } : {}),
    catchUp: () => indexer.catchUp(),
    ...parts.pivotStix,
  });
  // Early warning (issue 15 §3): what each batch's new indicators join, as campaign-activity events.
  const activity = createCampaignActivity({
    store: new SqlCampaignActivityStore(parts.db),
    policy: parts.policy,
    notify: (collectionId) => parts.changes.notify(collectionId),
    ...(parts.campaignCandidates.thresholds !== undefined ? { thresholds: parts.campaignCandidates.thresholds } : {}),
  });
  indexer.onIndexed((batch) => activity.onIndexed(batch));
  const campaigns = createCampaignCandidateService({
    ...parts.campaignCandidates,
    policy: parts.policy,
    collections: parts.collections,
    store: new SqlCampaignStore(parts.db),
    secrets: new SqlHubSecretRepository(parts.db),
    catchUp: () => indexer.catchUp(),
  });
  return { indexer, pivot, campaigns };
}
