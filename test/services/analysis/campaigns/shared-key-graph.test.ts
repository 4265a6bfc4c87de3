import request from 'supertest';
import { createLogger } from '../../../../src/http/ops/logging';
import { createMetrics } from '../../../../src/http/ops/metrics';
import { composeHub, createSharingServices, type ComposedHub } from '../../../../src/hub-composition';
import { localOperator } from '../../../../src/domain/principal';
import { createCampaignCandidateService, type CampaignCandidateService } from '../../../../src/services/analysis/campaigns/campaign-candidate-service';
import type { CampaignStore } from '../../../../src/storage/campaign-store';
import type { Database } from '../../../../src/storage/sql/database';
import { SqlCampaignStore } from '../../../../src/storage/sql/sql-campaign-store';
import { SqlHubSecretRepository } from '../../../../src/storage/sql/repositories/hub-secret-repository';
import { createSqlTenancyStore } from '../../../../src/storage/sql/sql-tenancy-store';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../../../support/demo-config';
import { openTestDatabase, testEngines } from '../../../support/test-databases';
import { waveAuth } from '../../../support/three-waves';

const ACME = DEMO_COLLECTIONS.acmeInternal;
const operator = localOperator('test');

/**
 * The shared-key graph kept up to date incrementally: built once, then each list reflects what was
 * submitted, updated, revoked or deleted since, including what another hub process (a second
 * composed hub over the same database) wrote and indexed; the graph is not built again meanwhile.
 */
describe.each(testEngines())('campaign candidates, incremental graph, on %s', (engine) => {
  let db: Database;
  let writer: ComposedHub;
  let reader: CampaignCandidateService;
  let builds = 0;
  let offset = 0;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const store = createSqlTenancyStore(db);
    const config = await applyDemoConfig(store);
    const compose = () => composeHub({ db, store, hub: config.hub, settings: { bodyLimitBytes: 256 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
    writer = compose();
    // The other process: its own hub (and indexer, which finds nothing left to index) and a candidate service whose graph builds are counted.
    const other = compose();
    const sharing = createSharingServices({ db, store, logger: createLogger('silent') });
    const sql = new SqlCampaignStore(db);
    const counted: CampaignStore = {
      graphRows: (since, now) => {
        builds++;
        return sql.graphRows(since, now);
      },
      keysAddedAfter: (marks, since) => sql.keysAddedAfter(marks, since),
      headsHolding: (keys, since, perKey) => sql.headsHolding(keys, since, perKey),
      stillActive: (heads) => sql.stillActive(heads),
      valuesOf: (heads) => sql.valuesOf(heads),
      campaignsOf: (readable, indicators) => sql.campaignsOf(readable, indicators),
      rejections: () => sql.rejections(),
      recordRejection: (rejection) => sql.recordRejection(rejection),
    };
    reader = createCampaignCandidateService({
      policy: sharing.policy, collections: sharing.collections, store: counted, secrets: new SqlHubSecretRepository(db), objects: sharing.objects, tenancy: store,
      validate: sharing.validateStix, hubIdentity: sharing.hubIdentity, catchUp: () => other.analysis.indexer.catchUp(), now: () => Date.now() + offset,
    });
  });
  afterAll(async () => {
    await writer.analysis.indexer.stop();
    await db.close();
  });

  const submit = async (username: string, indicators: { kind: string; value: string }[], extra: Record<string, unknown> = {}): Promise<string[]> => {
    const answer = await request(writer.app).post('/api/submissions').set('Authorization', waveAuth(username))
      .send({ collection: ACME, valid_from: new Date().toISOString(), marking: { tlp: 'green' }, indicators, ...extra });
    expect(answer.status).toBe(200);
    // The writer's process indexes what it wrote; the reader's list must learn it from the stored keys.
    await writer.analysis.indexer.catchUp();
    return (answer.body as { indicators: { id: string }[] }).indicators.map((i) => i.id);
  };
  const holding = async (id: string) => reader.list(operator, { indicator: id, status: 'all' });

  it('a graph built once follows joining submissions, a new key, an update, a revocation and a TAXII DELETE', async () => {
    expect(await reader.list(operator)).toEqual([]);
    expect(builds).toBe(1);

    // Joining: indicators over two submissions share the host.
    const [host, url] = await submit('alice', [{ kind: 'c2-hostname', value: 'relay.graph-test.example' }, { kind: 'url', value: 'http://relay.graph-test.example/a' }]);
    const [from, urlB, hostB] = await submit('bob', [
      { kind: 'email-from', value: 'payroll@relay.graph-test.example' }, { kind: 'url', value: 'http://relay.graph-test.example/b' }, { kind: 'c2-hostname', value: 'relay.graph-test.example' },
    ]);
    const [joined] = await holding(from as string);
    expect(joined?.members.map((m) => m.id).sort()).toEqual([host, url, from, urlB, hostB].sort());
    expect(joined?.shared).toEqual([{ kind: 'host', value: 'relay.graph-test.example' }]);
    expect(joined?.sizes).toEqual({ indicators: 5, submissions: 2, providers: 2, collections: 1 });

    // A key the graph did not hold: a host only alice's earlier URL named, now bob's too.
    const [fresh] = await submit('alice', [{ kind: 'url', value: 'http://fresh.graph-test.example/p' }]);
    expect(await holding(fresh as string)).toEqual([]);
    const [freshHost, freshFrom] = await submit('bob', [{ kind: 'c2-hostname', value: 'fresh.graph-test.example' }, { kind: 'email-from', value: 'ops@fresh.graph-test.example' }]);
    const [grown] = await holding(fresh as string);
    expect(grown?.members.map((m) => m.id).sort()).toEqual([fresh, freshHost, freshFrom].sort());
    expect(grown?.shared).toEqual([{ kind: 'host', value: 'fresh.graph-test.example' }]);

    // An update of a member (a new version): still one member, now the new version.
    const [updated] = await submit('alice', [{ kind: 'c2-hostname', value: 'relay.graph-test.example' }], { confidence: 40 });
    expect(updated).toBe(host);
    const [afterUpdate] = await holding(host as string);
    expect(afterUpdate?.members.filter((m) => m.id === host)).toHaveLength(1);
    expect(afterUpdate?.sizes).toEqual({ indicators: 5, submissions: 3, providers: 2, collections: 1 });

    // A revoked member leaves.
    const revoked = await request(writer.app).post(`/api/collections/${ACME}/indicators/${url}/revoke`).set('Authorization', waveAuth('alice')).send({ reason: 'mistaken' });
    expect(revoked.status).toBe(200);
    await writer.analysis.indexer.catchUp();
    expect(await holding(url as string)).toEqual([]);
    expect((await holding(host as string))[0]?.members.map((m) => m.id)).not.toContain(url);

    // A member deleted over TAXII leaves.
    const deleted = await request(writer.app).delete(`/demo/collections/${ACME}/objects/${from}/`).set('Authorization', waveAuth('bob')).set('Accept', 'application/taxii+json;version=2.1');
    expect(deleted.status).toBe(200);
    expect(await holding(from as string)).toEqual([]);
    const [left] = await holding(host as string);
    expect(left?.members.map((m) => m.id).sort()).toEqual([host, urlB, hostB].sort());
    expect(builds).toBe(1);
  });

  it('pages most recently active first, with a cursor to the next page', async () => {
    await submit('alice', [{ kind: 'c2-ip', value: '198.51.100.201' }, { kind: 'email-sender-ip', value: '198.51.100.201' }]);
    await submit('bob', [{ kind: 'c2-ip', value: '198.51.100.201' }]);
    const all = await reader.page(operator, { status: 'all' });
    expect(all.candidates.length).toBe(3);
    expect(all.candidates[0]?.shared).toEqual([{ kind: 'address', value: '198.51.100.201' }]);
    const first = await reader.page(operator, { status: 'all', limit: 1 });
    expect(first.candidates.map((c) => c.id)).toEqual([all.candidates[0]?.id]);
    expect(first.next).toBeDefined();
    const second = await reader.page(operator, { status: 'all', limit: 2, after: first.next as string });
    expect(second.candidates.map((c) => c.id)).toEqual([all.candidates[1]?.id, all.candidates[2]?.id]);
    expect(second.next).toBeUndefined();
  });

  it('is built again beside the requests once older than 10 minutes, answering from the graph it replaces meanwhile', async () => {
    const before = builds;
    const listed = (await reader.list(operator, { status: 'all' })).map((c) => c.id);
    expect(builds).toBe(before);
    offset += 11 * 60_000;
    expect((await reader.list(operator, { status: 'all' })).map((c) => c.id)).toEqual(listed);
    expect(builds).toBe(before + 1);
    expect((await reader.list(operator, { status: 'all' })).map((c) => c.id)).toEqual(listed);
    expect(builds).toBe(before + 1);
  });
});
