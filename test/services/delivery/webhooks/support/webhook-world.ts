import { randomUUID } from 'node:crypto';
import { HUB_EXTENSION_ID } from '../../../../../src/domain/hub-extension';
import type { TlpLevel } from '../../../../../src/domain/tenancy';
import { createWebhookChannel } from '../../../../../src/services/delivery/channels/webhook-channel';
import { createDeliveryEngine, type DeliveryEngine, type DeliverySettings } from '../../../../../src/services/delivery/delivery-engine';
import { createGuardedHttpClient } from '../../../../../src/services/delivery/outbound/guarded-http-client';
import { createSecretBox } from '../../../../../src/services/delivery/webhooks/webhook-secrets';
import { createWebhookService, type WebhookService } from '../../../../../src/services/delivery/webhooks/webhook-service';
import { createPolicyService, type PolicyService } from '../../../../../src/services/policy-service';
import type { Database, EngineName } from '../../../../../src/storage/sql/database';
import { SqlHubSecretRepository } from '../../../../../src/storage/sql/repositories/hub-secret-repository';
import { SqlAudienceStore } from '../../../../../src/storage/sql/sql-audience-store';
import { SqlChangeFeedStore } from '../../../../../src/storage/sql/sql-change-feed-store';
import { SqlObjectStore } from '../../../../../src/storage/sql/sql-object-store';
import { SqlSubscriptionStore } from '../../../../../src/storage/sql/sql-subscription-store';
import { createSqlTenancyStore } from '../../../../../src/storage/sql/sql-tenancy-store';
import { SqlWebhookStore } from '../../../../../src/storage/sql/sql-webhook-store';
import type { TenancyStore } from '../../../../../src/storage/tenancy-store';
import { openTestDatabase } from '../../../../support/test-databases';
import { COLLECTION_ID, seedDeliveryHub, type DeliveryWorld } from '../../support/delivery-world';

/**
 * A hub for webhook tests on a real database: the delivery world's organizations (hq provides in the
 * vertical group `regional`; east and west consume and may push to 127.0.0.1), the change feed, the
 * webhook channel on the delivery engine (short timeouts, fast retries), and the webhook service.
 * `clock.shiftMs` moves the webhook channel's and service's clock (the retry window, secret overlap).
 */

export interface IndicatorSpec {
  readonly id?: string;
  readonly kind?: string;
  readonly confidence?: number;
  readonly tlp?: TlpLevel;
  readonly revoked?: boolean;
  /** STIX modified, as an offset in seconds (a later version of the same id needs a later one). */
  readonly version?: number;
}

export interface WebhookWorld {
  readonly db: Database;
  readonly tenancy: TenancyStore;
  readonly policy: PolicyService;
  readonly users: DeliveryWorld['users'];
  readonly webhooks: SqlWebhookStore;
  readonly subscriptions: SqlSubscriptionStore;
  readonly service: WebhookService;
  readonly clock: { shiftMs: number };
  /** Appends an indicator version provided by hq; returns its id and position. */
  addIndicator(spec?: IndicatorSpec): Promise<{ id: string; position: number }>;
  /** The engine (started on first call). */
  engine(settings?: Partial<DeliverySettings>): DeliveryEngine;
  close(): Promise<void>;
}

const silent = { info: () => undefined, warn: () => undefined, error: (d: object, m: string) => { if (process.env.WEBHOOK_TEST_DEBUG) console.error(m, d); } };

export async function openWebhookWorld(engineName: EngineName, options: { totalTimeoutMs?: number } = {}): Promise<WebhookWorld> {
  const db = await openTestDatabase(engineName);
  const users = await seedDeliveryHub(db);
  const tenancy = createSqlTenancyStore(db);
  const policy = createPolicyService({ store: tenancy });
  const objects = new SqlObjectStore(db);
  const subscriptions = new SqlSubscriptionStore(db);
  const webhooks = new SqlWebhookStore(db);
  const changes = new SqlChangeFeedStore(db);
  const clock = { shiftMs: 0 };
  const now = () => new Date(Date.now() + clock.shiftMs);
  const box = createSecretBox(new SqlHubSecretRepository(db));
  const channel = createWebhookChannel({ store: webhooks, box, now });
  const client = channel.recording(createGuardedHttpClient({ connectTimeoutMs: 1_000, totalTimeoutMs: options.totalTimeoutMs ?? 2_000 }));
  let engine: DeliveryEngine | undefined;
  const service = createWebhookService({ webhooks, subscriptions, changes, policy, tenancy, box, client, onDue: () => engine?.wake(COLLECTION_ID), now, flushAttempts: () => channel.flushAttempts() });

  return {
    db, tenancy, policy, users, webhooks, subscriptions, service, clock,
    async addIndicator(spec = {}) {
      const id = spec.id ?? `indicator--${randomUUID()}`;
      const modified = new Date(Date.UTC(2026, 1, 1) + (spec.version ?? 0) * 1000).toISOString();
      const object: Record<string, unknown> = {
        type: 'indicator', spec_version: '2.1', id, created: '2026-02-01T00:00:00.000Z', modified,
        pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: '2026-02-01T00:00:00Z',
        ...(spec.confidence !== undefined ? { confidence: spec.confidence } : {}),
        ...(spec.revoked ? { revoked: true } : {}),
        extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', kind: spec.kind ?? 'c2-ip' } },
      };
      const [outcome] = await objects.append(
        COLLECTION_ID,
        [{ id, type: 'indicator', specVersion: '2.1', version: Date.parse(modified) * 1000, providerOrgId: 'hq', tlp: spec.tlp ?? 'amber', recipients: [], object }],
        Date.now() * 1000,
      );
      if (outcome?.kind !== 'added') throw new Error(`the indicator was not added (${outcome?.kind})`);
      engine?.wake(COLLECTION_ID);
      return { id, position: outcome.dateAdded };
    },
    engine(settings = {}) {
      if (!engine) {
        engine = createDeliveryEngine({
          subscriptions,
          changes,
          audiences: new SqlAudienceStore(db),
          policy,
          tenancy,
          channels: [channel],
          client,
          logger: silent,
          settings: { scanIntervalMs: 25, backoff: { baseMs: 20, capMs: 80, floorMs: 5 }, leaseMs: 10_000, ...settings },
        });
        engine.start();
      }
      return engine;
    },
    async close() {
      await engine?.stop();
      await db.close();
    },
  };
}
