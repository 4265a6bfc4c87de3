import request from 'supertest';
import { createLogger } from '../../../../src/http/ops/logging';
import { createMetrics } from '../../../../src/http/ops/metrics';
import { composeHub, createSharingServices, type ComposedHub } from '../../../../src/hub-composition';
import { localOperator } from '../../../../src/domain/principal';
import { createCampaignCandidateService } from '../../../../src/services/analysis/campaigns/campaign-candidate-service';
import type { Database } from '../../../../src/storage/sql/database';
import { SqlCampaignStore } from '../../../../src/storage/sql/sql-campaign-store';
import { SqlHubSecretRepository } from '../../../../src/storage/sql/repositories/hub-secret-repository';
import { createSqlTenancyStore } from '../../../../src/storage/sql/sql-tenancy-store';
import type { HubConfig } from '../../../../src/config/hub-config';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../../../support/demo-config';
import { openTestDatabase, testEngines } from '../../../support/test-databases';
import { submitWave, waveAuth } from '../../../support/three-waves';

const DAY_MS = 86_400_000;

/** The campaign-candidate service: what a hidden indicator does not do, the thresholds and the window. */
describe.each(testEngines())('campaign candidates (service) on %s', (engine) => {
  let db: Database;
  let hub: ComposedHub;
  let config: HubConfig;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const store = createSqlTenancyStore(db);
    config = await applyDemoConfig(store);
    hub = composeHub({ db, store, hub: config.hub, settings: { bodyLimitBytes: 256 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
    // dave reports one address and, in two more submissions, a host; alice's alliance indicator names both
    // (one STIX pattern, two values), which globex-hq reads and globex-lab (erin) does not.
    const dave = (name: string, indicators: { kind: string; value: string }[]) => submitWave(hub.app, { name, user: 'dave', collection: DEMO_COLLECTIONS.allianceExchange, tlp: 'amber', indicators });
    await dave('address', [{ kind: 'email-sender-ip', value: '198.51.100.9' }]);
    await dave('host', [{ kind: 'c2-hostname', value: 'bridge.example' }]);
    await dave('url', [{ kind: 'url', value: 'http://bridge.example/a' }]);
    const bundle = {
      type: 'bundle',
      id: 'bundle--6d7e3c1f-52a4-4c52-9d1e-3f1c5b1e2a11',
      objects: [
        {
          type: 'indicator', spec_version: '2.1', id: 'indicator--0b8a5b1c-7c1e-4d0e-8d7a-5b4f0c2e9a12', created: '2026-12-01T00:00:00.000Z', modified: '2026-12-01T00:00:00.000Z',
          pattern: "[ipv4-addr:value = '198.51.100.9'] OR [domain-name:value = 'bridge.example']", pattern_type: 'stix', valid_from: '2026-12-01T00:00:00Z',
          object_marking_refs: ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421'],
        },
      ],
    };
    const posted = await request(hub.app).post(`/demo/collections/${DEMO_COLLECTIONS.allianceExchange}/objects/`).set('Authorization', waveAuth('alice'))
      .set('Content-Type', 'application/taxii+json;version=2.1').set('Accept', 'application/taxii+json;version=2.1').send(JSON.stringify(bundle));
    expect([200, 202]).toContain(posted.status);
  });
  afterAll(async () => {
    await hub.analysis.indexer.stop();
    await db.close();
  });

  const valuesOf = (c: { members: readonly { value?: string }[] }) => c.members.map((m) => m.value ?? '?').sort();

  it('a hidden indicator neither bridges two readable clusters nor counts in a size', async () => {
    const operator = await hub.analysis.campaigns.list(localOperator('test'));
    expect(operator.map((c) => ({ values: valuesOf(c), sizes: c.sizes }))).toEqual([
      { values: ['198.51.100.9', '198.51.100.9', 'bridge.example', 'http://bridge.example/a'], sizes: { indicators: 4, submissions: 4, providers: 2, collections: 1 } },
    ]);
    // erin: dave's address alone, and his host with his URL (2 indicators): no candidate.
    const erin = { userId: 'e', username: 'erin', organizationId: 'globex-lab', roles: new Set(['consumer' as const]), via: 'basic' as const };
    expect(await hub.analysis.campaigns.list(erin)).toEqual([]);
  });

  it('the thresholds come from hub.analysis.campaign_candidates', async () => {
    const store = createSqlTenancyStore(db);
    const lower = composeHub({ db, store, hub: { ...config.hub, campaignCandidates: { minIndicators: 2 } }, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
    const erin = { userId: 'e', username: 'erin', organizationId: 'globex-lab', roles: new Set(['consumer' as const]), via: 'basic' as const };
    expect((await lower.analysis.campaigns.list(erin)).map(valuesOf)).toEqual([['bridge.example', 'http://bridge.example/a']]);
  });

  it('only indicators added within the window count', async () => {
    const store = createSqlTenancyStore(db);
    const sharing = createSharingServices({ db, store, logger: createLogger('silent') });
    const at = (days: number, windowDays: number) =>
      createCampaignCandidateService({
        policy: sharing.policy, collections: sharing.collections, store: new SqlCampaignStore(db), secrets: new SqlHubSecretRepository(db), objects: sharing.objects, tenancy: store,
        validate: sharing.validateStix, hubIdentity: sharing.hubIdentity, catchUp: () => hub.analysis.indexer.catchUp(), thresholds: { windowDays }, now: () => Date.now() + days * DAY_MS,
      }).list(localOperator('test'));
    expect(await at(2, 3)).toHaveLength(1);
    expect(await at(2, 1)).toEqual([]);
  });
});
