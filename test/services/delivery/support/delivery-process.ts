/**
 * A hub process's delivery engine alone, on an embedded store: `node -r <hook> delivery-process.ts
 * <dataDir>`. Prints `engine started` once it delivers; stops cleanly on SIGTERM. The kill -9 test
 * runs it, kills it mid-delivery and starts it again on the same store.
 */
import { createDeliveryEngine } from '../../../../src/services/delivery/delivery-engine';
import { createGuardedHttpClient } from '../../../../src/services/delivery/outbound/guarded-http-client';
import { createPolicyService } from '../../../../src/services/policy-service';
import { migrate } from '../../../../src/storage/sql/migrate';
import { openPglite } from '../../../../src/storage/sql/pglite-engine';
import { SqlFeedStore } from '../../../../src/storage/sql/sql-feed-store';
import { SqlSubscriptionStore } from '../../../../src/storage/sql/sql-subscription-store';
import { createSqlTenancyStore } from '../../../../src/storage/sql/sql-tenancy-store';
import { testPushChannel } from './delivery-world';

async function main(dataDir: string, leaseMs: number): Promise<void> {
  const db = await openPglite({ dataDir });
  await migrate(db);
  const tenancy = createSqlTenancyStore(db);
  const log = (level: string) => (details: object, message: string) => process.stdout.write(`${JSON.stringify({ level, msg: message, ...details })}\n`);
  const engine = createDeliveryEngine({
    subscriptions: new SqlSubscriptionStore(db),
    feed: new SqlFeedStore(db),
    policy: createPolicyService({ store: tenancy }),
    tenancy,
    channels: [testPushChannel()],
    client: createGuardedHttpClient({ totalTimeoutMs: 60_000 }),
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    settings: { scanIntervalMs: 50, batchSize: 2, leaseMs, backoff: { baseMs: 20, capMs: 100, floorMs: 5 } },
  });
  engine.start();
  process.stdout.write(`${JSON.stringify({ msg: 'engine started', pid: process.pid })}\n`);
  process.once('SIGTERM', () => {
    void engine
      .stop()
      .then(() => db.close())
      .then(() => process.exit(0));
  });
}

void main(process.argv[2] ?? '', Number(process.argv[3] ?? 60_000)).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
