import { randomUUID } from 'node:crypto';
import { collectionAccess } from '../../../../src/access';
import type { Principal } from '../../../../src/domain/principal';
import type { Role, TlpLevel, User } from '../../../../src/domain/tenancy';
import { createCollectionService } from '../../../../src/services/collection-service';
import { taxii11PushCodec } from '../../../../src/http/taxii11/push-codec';
import { indicatorToStix12, type Stix12Context } from '../../../../src/domain/stix1';
import type { PushBlock, PushBlockRenderer } from '../../../../src/services/delivery/channels/taxii11-push-channel';
import { createTaxii11PushChannel } from '../../../../src/services/delivery/channels/taxii11-push-channel';
import { createDeliveryEngine, type DeliveryEngine, type DeliverySettings } from '../../../../src/services/delivery/delivery-engine';
import { createGuardedHttpClient } from '../../../../src/services/delivery/outbound/guarded-http-client';
import { createSubscriptionService, type SubscribableCollections, type SubscriptionService } from '../../../../src/services/delivery/subscription-service';
import { createPolicyService, type PolicyService } from '../../../../src/services/policy-service';
import type { Database, EngineName } from '../../../../src/storage/sql/database';
import { SqlFeedStore } from '../../../../src/storage/sql/sql-feed-store';
import { SqlAudienceStore } from '../../../../src/storage/sql/sql-audience-store';
import { SqlChangeFeedStore } from '../../../../src/storage/sql/sql-change-feed-store';
import type { DeliveryChannel } from '../../../../src/services/delivery/delivery-channel';
import { SqlObjectStore } from '../../../../src/storage/sql/sql-object-store';
import { SqlSubscriptionStore } from '../../../../src/storage/sql/sql-subscription-store';
import { createSqlTenancyStore } from '../../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../../src/storage/tenancy-store';
import { createMetrics, type Metrics } from '../../../../src/http/ops/metrics';
import { openTestDatabase } from '../../../support/test-databases';

/**
 * A small hub for delivery tests, on a real database: the vertical group `regional` (hq above east
 * and west) owns the collection `regional`; hq provides, east and west consume. east and west may
 * push to loopback (127.0.0.1/32 on their delivery allow-lists). Indicators are STIX 2.1 objects
 * the STIX 1.2 bridge maps.
 */

export const COLLECTION_ID = 'c0ffee00-0000-4000-8000-000000000001';
export const COLLECTION_NAME = 'regional';
export const REGIONAL_TREE = { hq: ['east', 'west'] };

export interface DeliveryWorld {
  readonly db: Database;
  readonly tenancy: TenancyStore;
  readonly policy: PolicyService;
  readonly subscriptions: SqlSubscriptionStore;
  readonly service: SubscriptionService;
  readonly users: Readonly<Record<'provider' | 'east' | 'west' | 'eastAdmin', Principal>>;
  readonly metrics: Metrics;
  /** Appends one indicator provided by `provider`; returns its label. */
  addIndicator(provider?: string, tlp?: TlpLevel): Promise<number>;
  addIdentity(): Promise<number>;
  /** An indicator with a YARA pattern: no STIX 1.x form. */
  addUnmappableIndicator(): Promise<number>;
  /** An engine over the world's database (start it; the world stops every engine it made). */
  engine(settings?: Partial<DeliverySettings>, options?: { readonly totalTimeoutMs?: number; readonly db?: Database; readonly channels?: readonly DeliveryChannel[] }): DeliveryEngine;
  /** The collection's last committed position. */
  changeFeedEnd(): Promise<number>;
  /** The ids of the objects `provider` provides in the collection. */
  objectsOf(provider: string): Promise<string[]>;
  close(): Promise<void>;
}

function principal(user: User): Principal {
  return { userId: user.id, username: user.username, organizationId: user.organizationId, roles: new Set(user.roles), via: 'basic' };
}

/** The world's organizations, group, collection and users, in `db` (a migrated, empty store). */
export async function seedDeliveryHub(db: Database): Promise<DeliveryWorld['users']> {
  const tenancy = createSqlTenancyStore(db);
  for (const id of ['hq', 'east', 'west']) {
    await tenancy.organizations.insert({ id, name: id, parentId: null, managedBy: 'admin', ...(id === 'hq' ? {} : { deliveryAllowList: ['127.0.0.1/32'] }) });
  }
  await tenancy.trustGroups.insert({ id: 'regional', name: 'regional', topology: 'vertical', members: ['hq', 'east', 'west'], tree: REGIONAL_TREE, peerLinks: [], attribution: 'attributed', managedBy: 'admin' });
  await tenancy.apiRoots.insert({ id: 'root', title: 'Root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
  await tenancy.collections.insert({
    id: COLLECTION_ID, apiRootId: 'root', alias: COLLECTION_NAME, title: 'Regional', description: null, owner: { kind: 'trust-group', id: 'regional' },
    defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin',
  });
  const makeUser = async (username: string, organizationId: string, roles: Role[]) => {
    const user: User = { id: randomUUID(), username, organizationId, roles, disabled: false, managedBy: 'admin' };
    await tenancy.users.insert(user);
    return principal(user);
  };
  return {
    provider: await makeUser('hq-provider', 'hq', ['provider', 'consumer']),
    east: await makeUser('east-consumer', 'east', ['consumer']),
    west: await makeUser('west-consumer', 'west', ['consumer']),
    eastAdmin: await makeUser('east-admin', 'east', ['consumer', 'org-admin']),
  };
}

/** The TAXII 1.1 push channel as the tests run it: STIX 1.2 blocks naming the hub as their source. */
export function testPushChannel() {
  return createTaxii11PushChannel({ codec: taxii11PushCodec, renderBlocks: hubSourcedStix12Renderer({ idNamespace: { prefix: 'hub', uri: 'https://hub.example.org/stix1' }, source: { name: 'Test hub' } }) });
}

export async function openDeliveryWorld(engineName: EngineName): Promise<DeliveryWorld> {
  return deliveryWorldOn(await openTestDatabase(engineName));
}

/** A world over `db`, seeded unless `seeded` says it already was. */
export async function deliveryWorldOn(db: Database, seeded?: DeliveryWorld['users']): Promise<DeliveryWorld> {
  const users = seeded ?? (await seedDeliveryHub(db));
  const tenancy = createSqlTenancyStore(db);
  // The hub's policy service, as it runs (an admin change invalidates it; tests that change the store directly call invalidate()).
  const policy = createPolicyService({ store: tenancy });
  const objects = new SqlObjectStore(db);
  const feed = new SqlFeedStore(db);
  const subscriptions = new SqlSubscriptionStore(db);
  const metrics = createMetrics();
  const engines: DeliveryEngine[] = [];
  const extraDbs: Database[] = [];
  const collectionService = createCollectionService({ store: tenancy, policy });
  // TAXII 1.1 names are the collections' aliases here (one API root).
  const collections: SubscribableCollections = {
    resolve: async (who, name, action) => ({ name, collection: (await collectionService.resolveForAction(who, 'root', name, action)).collection }),
    list: async (who) => {
      const current = await policy.current();
      return [...current.collections.values()].filter((cp) => collectionAccess(current, who, cp.collection.id) !== undefined).map((cp) => ({ name: cp.collection.alias ?? cp.collection.id, collection: cp.collection }));
    },
  };
  const service = createSubscriptionService({ subscriptions, collections, feed, policy, tenancy, onDue: () => engines.forEach((e) => e.wake(COLLECTION_ID)) });
  let counter = 0;

  async function append(object: Record<string, unknown>, provider: string, tlp: TlpLevel): Promise<number> {
    const [outcome] = await objects.append(
      COLLECTION_ID,
      [{ id: String(object.id), type: String(object.type), specVersion: '2.1', version: 1_770_000_000_000_000, providerOrgId: provider, tlp, recipients: [], object }],
      Date.now() * 1000,
    );
    if (outcome?.kind !== 'added') throw new Error('the record was not added');
    engines.forEach((e) => e.wake(COLLECTION_ID));
    return outcome.dateAdded;
  }

  return {
    db, tenancy, policy, subscriptions, service, users, metrics,
    addIndicator(provider = 'hq', tlp = 'amber') {
      counter += 1;
      const id = `indicator--${randomUUID()}`;
      return append({
        type: 'indicator', spec_version: '2.1', id, created: '2026-02-01T00:00:00.000Z', modified: '2026-02-01T00:00:00.000Z',
        pattern: `[ipv4-addr:value = '198.51.100.${counter % 250}']`, pattern_type: 'stix', valid_from: '2026-02-01T00:00:00Z', name: `c2 ${counter}`,
      }, provider, tlp);
    },
    addUnmappableIndicator() {
      return append({
        type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: '2026-02-01T00:00:00.000Z', modified: '2026-02-01T00:00:00.000Z',
        pattern: 'rule x { condition: true }', pattern_type: 'yara', valid_from: '2026-02-01T00:00:00Z',
      }, 'hq', 'green');
    },
    addIdentity() {
      return append({ type: 'identity', spec_version: '2.1', id: `identity--${randomUUID()}`, created: '2026-02-01T00:00:00.000Z', modified: '2026-02-01T00:00:00.000Z', name: 'someone' }, 'hq', 'green');
    },
    engine(settings = {}, options = {}) {
      const engineDb = options.db ?? db;
      const engine = createDeliveryEngine({
        subscriptions: new SqlSubscriptionStore(engineDb),
        changes: new SqlChangeFeedStore(engineDb),
        audiences: new SqlAudienceStore(engineDb),
        policy: engineDb === db ? policy : createPolicyService({ store: createSqlTenancyStore(engineDb), recheckMs: 0 }),
        tenancy: engineDb === db ? tenancy : createSqlTenancyStore(engineDb),
        channels: options.channels ?? [testPushChannel()],
        client: createGuardedHttpClient({ connectTimeoutMs: 1_000, totalTimeoutMs: options.totalTimeoutMs ?? 2_000 }),
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
        metrics,
        settings: { scanIntervalMs: 25, backoff: { baseMs: 20, capMs: 80, floorMs: 5 }, leaseMs: 10_000, ...settings },
      });
      engines.push(engine);
      return engine;
    },
    changeFeedEnd: () => new SqlChangeFeedStore(db).lastPosition(COLLECTION_ID),
    async objectsOf(provider) {
      const { rows } = await db.query<{ id: string }>('SELECT DISTINCT id FROM stix_objects WHERE collection_id = $1 AND provider_org_id = $2 ORDER BY id', [COLLECTION_ID, provider]);
      return rows.map((r) => r.id);
    },
    async close() {
      await Promise.all(engines.map((e) => e.stop()));
      for (const extra of extraDbs) await extra.close();
      await db.close();
    },
  };
}

export const pushParameters = (address: string) => ({ protocolBinding: 'urn:taxii.mitre.org:protocol:http:1.0', address, messageBinding: 'urn:taxii.mitre.org:message:xml:1.1' });
export const fullParameters = { responseType: 'FULL' as const, contentBindings: [{ bindingId: 'urn:stix.mitre.org:xml:1.2', subtypes: [] }], query: false };

/**
 * A block renderer over the STIX 2.1 → 1.2 bridge that names the hub as every block's information
 * source and relates no campaigns: what a push can say without the poll path's attribution and
 * campaign lookups. (The hub passes the poll path's renderer, so that a push and a poll of the same record carry the
 * same package; these tests do not need its look-ups.)
 */
export function hubSourcedStix12Renderer(context: Pick<Stix12Context, 'idNamespace' | 'source'>, nowMicros: () => number = () => Date.now() * 1000): PushBlockRenderer {
  return async (batch, bindingId) => {
    const blocks: PushBlock[] = [];
    for (const record of batch.records) {
      let object: unknown;
      try {
        object = JSON.parse(record.json);
      } catch {
        continue;
      }
      if (typeof object !== 'object' || object === null) continue;
      const outcome = indicatorToStix12(object as Record<string, unknown>, { ...context, campaigns: [], nowMicros: nowMicros() });
      if (outcome.ok) blocks.push({ bindingId, contentXml: outcome.packageXml, timestampLabel: record.dateAdded });
    }
    return blocks;
  };
}
