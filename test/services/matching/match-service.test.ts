import { createMatchIndex } from '../../../src/domain/matching';
import { createLogLineReader } from '../../../src/domain/matching/log-formats';
import type { Principal } from '../../../src/domain/principal';
import { createLogger } from '../../../src/http/ops/logging';
import { createCollectionService } from '../../../src/services/collection-service';
import { FEED_ENTRY_DERIVATION } from '../../../src/services/feeds/feed-derivation';
import { createMatchService, type MatchService } from '../../../src/services/matching/match-service';
import { createPolicyService } from '../../../src/services/policy-service';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { SqlSensorFeedStore } from '../../../src/storage/sql/sql-sensor-feed-store';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { startFeedsHub, type FeedsHub } from '../../http/hub-api/feeds-hub';

const ACME = DEMO_COLLECTIONS.acmeInternal;
const alice: Principal = { userId: 'alice', username: 'alice', organizationId: 'acme-hq', roles: new Set(['provider', 'consumer', 'org-admin']), via: 'local' };
const carol: Principal = { userId: 'carol', username: 'carol', organizationId: 'acme-west', roles: new Set(['consumer']), via: 'local' };

describe.each(testEngines())('the match service and its bounded cache on %s', (engine) => {
  let hub: FeedsHub;
  const ids: string[] = [];
  beforeAll(async () => {
    hub = await startFeedsHub(engine);
    ids.push(...(await hub.submit('alice', {
      collection: ACME, valid_from: '2026-11-01T00:00:00Z', valid_until: '2030-01-01T00:00:00Z', marking: { tlp: 'green' },
      indicators: [{ kind: 'c2-ip', value: '203.0.113.7' }, { kind: 'c2-hostname', value: 'bounded.match-test.example' }],
    })));
  });
  afterAll(() => hub.close());

  /** A match service over the hub's database with its own cache bound (in indicators). */
  function serviceBounded(maxIndicators: number): MatchService {
    const store = createSqlTenancyStore(hub.db);
    const policy = createPolicyService({ store, logger: createLogger('silent') });
    return createMatchService({
      policy,
      collections: createCollectionService({ store, policy }),
      feeds: new SqlSensorFeedStore(hub.db),
      changeFeed: hub.composed.changeFeed,
      audiences: hub.composed.audiences,
      lastPosition: (collectionId) => hub.composed.changeFeedStore.lastPosition(collectionId),
      createIndex: createMatchIndex,
      readerFor: createLogLineReader,
      maxIndicators,
    });
  }
  const ask = { values: ['203.0.113.7', 'www.bounded.match-test.example'], collections: [ACME] };
  const indicatorsOf = async (service: MatchService, who: Principal) => (await service.match(who, ask)).map((r) => r.matches.map((m) => m.indicator));

  test("over the bound, the least recently used audience's index goes, and is built again when asked", async () => {
    const service = serviceBounded(3);
    expect(await indicatorsOf(service, alice)).toEqual([[ids[0]], [ids[1]]]);
    expect(await indicatorsOf(service, alice)).toEqual([[ids[0]], [ids[1]]]);
    expect(service.counters()).toEqual({ builds: 1, cache: { indexes: 1, indicators: 2, maxIndicators: 3, evictions: 0 } });
    expect(await indicatorsOf(service, carol)).toEqual([[ids[0]], [ids[1]]]); // her own audience: a second index
    expect(service.counters()).toEqual({ builds: 2, cache: { indexes: 1, indicators: 2, maxIndicators: 3, evictions: 1 } });
    expect(await indicatorsOf(service, alice)).toEqual([[ids[0]], [ids[1]]]);
    expect(service.counters().builds).toBe(3);
  });

  test("an index build saves the values it works out, so the next audience's build (or a feed render) reads them instead of parsing patterns", async () => {
    const feeds = new SqlSensorFeedStore(hub.db);
    const scope = { kind: 'all' } as const;
    const heads = async () => (await feeds.activeIndicators({ collectionId: ACME, scope, nowMicros: Date.now() * 1000, derivation: FEED_ENTRY_DERIVATION }, 100)).indicators.filter((h) => ids.includes(h.id));
    await serviceBounded(10).match(alice, ask);
    const saved = await heads();
    expect(saved.map((h) => h.id).sort()).toEqual([...ids].sort());
    for (const head of saved) expect(head.derived?.values.length).toBe(1);
  });

  test('an index larger than the whole bound answers its request and is not kept', async () => {
    const service = serviceBounded(1);
    expect(await indicatorsOf(service, alice)).toEqual([[ids[0]], [ids[1]]]);
    expect(await indicatorsOf(service, alice)).toEqual([[ids[0]], [ids[1]]]);
    expect(service.counters()).toEqual({ builds: 2, cache: { indexes: 0, indicators: 0, maxIndicators: 1, evictions: 0 } });
  });
});
