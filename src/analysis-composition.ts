import type { Logger } from 'pino';
import { createAnalysisIndexer, type AnalysisIndexer } from './services/analysis/analysis-indexer';
import type { ChangeNotifier } from './services/delivery/change-feed/change-notifier';
import type { Database } from './storage/sql/database';
import { SqlAnalysisKeyStore } from './storage/sql/sql-analysis-key-store';
import { SqlSensorFeedStore } from './storage/sql/sql-sensor-feed-store';

/**
 * The analysis part of the composition root (issue 15): the indexer that gives indicator versions
 * their analysis keys, woken by every committed write, and the services that read them (pivot,
 * campaign candidates, early warning).
 */
export interface AnalysisParts {
  readonly db: Database;
  readonly logger: Logger;
  readonly changes: ChangeNotifier;
}

export interface Analysis {
  /** Started by the server beside the delivery engine; tests call catchUp() through the services. */
  readonly indexer: AnalysisIndexer;
}

export function composeAnalysis(parts: AnalysisParts): Analysis {
  const indexer = createAnalysisIndexer({
    keys: new SqlAnalysisKeyStore(parts.db),
    feeds: new SqlSensorFeedStore(parts.db),
    onError: (error) => parts.logger.warn({ err: error }, 'indexing indicators for analysis failed; the next pass retries'),
  });
  parts.changes.subscribe(() => indexer.wake());
  return { indexer };
}
