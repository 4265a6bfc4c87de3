import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics } from '../../../src/http/ops/metrics';
import { formatMicros } from '../../../src/domain/timestamps';
import { composeHub, type ComposedHub } from '../../../src/hub-composition';
import type { Database } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../../support/demo-config';
import { openTestDatabase, testEngines } from '../../support/test-databases';
import { demoAuth } from '../support/demo-config-hub';
import { HEADERS, NS } from '../taxii11/support/taxii11-messages';
import { TAXII } from '../taxii21/objects-fixture';
import { TLP2_MARKING_REFS } from '../../../src/domain/tlp';

const ACME = DEMO_COLLECTIONS.acmeInternal;
const HOUR = 60 * 60 * 1000;
const TLP_GREEN = TLP2_MARKING_REFS.green;

interface Polls { organization: string; last_poll?: { at: string; protocol: string; user: string; api_key?: string }; reached?: string; lag?: { of: string; types?: string[]; objects: number; versions: number; oldest_waiting?: string } }
interface Figures { objects: number; indicators: number; by_provider_and_tlp: { provider?: string; tlp: string; objects: number; indicators: number }[]; own_polls?: Polls; consumer_polls?: Polls[] }

/** Issue 16: TAXII 2.1 and 1.1 polls are recorded off the response path, and the figures show each caller its own organization's last poll and lag. */
describe.each(testEngines())('last poll and lag on %s', (engine) => {
  let db: Database;
  let hub: ComposedHub;
  let app: Express;
  const auth = (who: string) => (who.startsWith('Bearer ') ? who : demoAuth(who));
  const figures = async (username: string, collection: string = ACME): Promise<Figures> => {
    const res = await request(app).get(`/api/collections/${collection}/figures`).set('Authorization', demoAuth(username));
    expect(res.status).toBe(200);
    return res.body as Figures;
  };
  const poll21 = (who: string, query = '', path = 'objects') => request(app).get(`/demo/collections/${ACME}/${path}/${query}`).set('Authorization', auth(who)).set('Accept', TAXII);
  const poll11 = (who: string, collection: string, responseType = 'FULL') => request(app).post('/taxii1/poll').set(HEADERS).set('Authorization', auth(who))
    .send(`<taxii_11:Poll_Request xmlns:taxii_11="${NS}" message_id="${randomUUID()}" collection_name="${collection}"><taxii_11:Poll_Parameters allow_asynch="false"><taxii_11:Response_Type>${responseType}</taxii_11:Response_Type></taxii_11:Poll_Parameters></taxii_11:Poll_Request>`);
  const submit = async (username: string, tlp: string, values: string[], collection: string = ACME) => {
    const res = await request(app).post('/api/submissions').set('Authorization', demoAuth(username)).set('Content-Type', 'application/json')
      .send(JSON.stringify({ collection, marking: { tlp }, valid_from: '2026-11-01T00:00:00Z', indicators: values.map((value) => ({ kind: 'c2-ip', value })) }));
    expect(res.status).toBe(200);
  };
  /** A GREEN note over TAXII 2.1: an object, not an indicator. */
  const postNote = async (username: string) => {
    const note = {
      type: 'note', spec_version: '2.1', id: `note--${randomUUID()}`, created: '2026-11-02T00:00:00.000Z', modified: '2026-11-02T00:00:00.000Z',
      content: 'seen in our mail gateway', object_refs: [`indicator--${randomUUID()}`], object_marking_refs: [TLP_GREEN],
    };
    const posted = await request(app).post(`/demo/collections/${ACME}/objects/`).set('Authorization', demoAuth(username)).set('Content-Type', TAXII).set('Accept', TAXII).send(JSON.stringify({ objects: [note] }));
    expect(posted.body).toMatchObject({ success_count: 1 });
  };
  const storedMarks = async (organization: string) => {
    const { rows } = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM poll_marks WHERE organization_id = $1', [organization]);
    return Number(rows[0]?.n);
  };

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const store = createSqlTenancyStore(db);
    const config = await applyDemoConfig(store);
    // No timer flush during the test: marks reach the store only when flushed (or the figures are read).
    hub = composeHub({ db, store, hub: config.hub, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics(), pollFlushIntervalMs: HOUR });
    app = hub.app;
    await submit('bob', 'green', ['198.51.100.3']);
    await submit('bob', 'amber', ['198.51.100.1']);
  });
  afterAll(async () => {
    await hub.polls.stop();
    await hub.streams.close();
    await db.close();
  });

  test('a TAXII 2.1 poll is kept in memory, not written while answering; the figures then show carol her last poll and no lag', async () => {
    expect((await figures('carol')).own_polls).toEqual({ organization: 'acme-west' }); // never polled
    expect((await poll21('carol')).status).toBe(200);
    expect(await storedMarks('acme-west')).toBe(0);
    const carol = await figures('carol');
    expect(await storedMarks('acme-west')).toBe(1);
    expect(carol.own_polls).toMatchObject({ organization: 'acme-west', last_poll: { protocol: 'taxii21', user: 'carol' }, lag: { of: 'objects', objects: 0, versions: 0 } });
    expect(Date.now() - Date.parse(carol.own_polls?.last_poll?.at ?? '')).toBeLessThan(60_000);
    expect(carol.own_polls?.reached).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  test('an object added after her poll is lag until she polls again; one she may not read (a sibling AMBER) never is', async () => {
    await submit('bob', 'amber', ['198.51.100.20']); // acme-east AMBER: not for acme-west
    expect((await figures('carol')).own_polls?.lag).toMatchObject({ objects: 0, versions: 0 });
    await submit('bob', 'green', ['198.51.100.21']);
    const behind = (await figures('carol')).own_polls;
    expect(behind?.lag?.objects).toBeGreaterThanOrEqual(1);
    expect(Date.parse(behind?.lag?.oldest_waiting ?? '')).toBeGreaterThan(Date.parse(behind?.reached ?? ''));
    // a manifest poll from where she stood serves the new object
    expect((await poll21('carol', `?added_after=${encodeURIComponent(behind?.reached ?? '')}`, 'manifest')).status).toBe(200);
    expect((await figures('carol')).own_polls?.lag).toMatchObject({ objects: 0, versions: 0 });
  });

  test('a poll that asks for some types (match[type]) lags only on those: a note it never asks for is not lag, an indicator is', async () => {
    const typed = await poll21('carol', '?match%5Btype%5D=indicator');
    expect(typed.status).toBe(200);
    expect((await figures('carol')).own_polls?.lag).toEqual({ of: 'objects', types: ['indicator'], objects: 0, versions: 0 });
    await postNote('bob');
    expect((await figures('carol')).own_polls?.lag).toMatchObject({ types: ['indicator'], objects: 0, versions: 0 });
    await submit('bob', 'green', ['198.51.100.22']);
    expect((await figures('carol')).own_polls?.lag).toMatchObject({ types: ['indicator'], objects: 1, versions: 1 });
    // Her next poll asks for every type, from the start: the filter goes, nothing is left behind.
    expect((await poll21('carol')).status).toBe(200);
    expect((await figures('carol')).own_polls?.lag).toEqual({ of: 'objects', objects: 0, versions: 0 });
  });

  test('a refused or failed poll is not recorded', async () => {
    expect((await poll21('frank')).status).toBe(404); // initech sees no ACME internal
    expect((await poll21('alice', '?added_after=yesterday')).status).toBe(400);
    expect((await poll11('frank', 'acme-internal')).text).toContain('NOT_FOUND');
    await hub.polls.flush();
    expect(await storedMarks('initech')).toBe(0);
    expect(await storedMarks('acme-hq')).toBe(0);
    expect((await figures('alice')).own_polls).toEqual({ organization: 'acme-hq' });
  });

  test("a poll with an API key says which key; nobody but an operator learns another organization's polls", async () => {
    const operator = demoAuth('operator');
    const users = await request(app).get('/admin/api/users').set('Authorization', operator);
    const carol = (users.body as { users: { id: string; username: string }[] }).users.find((u) => u.username === 'carol');
    const issued = await request(app).post(`/admin/api/users/${carol?.id ?? ''}/api-keys`).set('Authorization', operator).set('Content-Type', 'application/json').send({ name: 'sensor' });
    const { id, token } = issued.body as { id: string; token: string };
    expect((await poll21(`Bearer ${token}`)).status).toBe(200);
    expect((await figures('carol')).own_polls?.last_poll).toMatchObject({ protocol: 'taxii21', user: 'carol', api_key: id });
    for (const other of ['alice', 'bob']) {
      const seen = await figures(other);
      expect(seen.consumer_polls).toBeUndefined();
      expect(JSON.stringify(seen)).not.toContain('acme-west');
    }
    const asOperator = await figures('operator');
    expect(asOperator.own_polls).toBeUndefined();
    const west = asOperator.consumer_polls?.find((p) => p.organization === 'acme-west');
    expect(west).toMatchObject({ last_poll: { protocol: 'taxii21', user: 'carol', api_key: id }, lag: { objects: 0 } });
    expect(asOperator.consumer_polls?.find((p) => p.organization === 'acme-hq')).toEqual({ organization: 'acme-hq' });
  });

  test('a TAXII 1.1 poll is recorded as such; its lag counts only indicators (what TAXII 1.1 carries)', async () => {
    const res = await poll11('alice', 'acme-internal');
    expect(res.text).toContain('Poll_Response');
    const alice = (await figures('alice')).own_polls;
    expect(alice).toMatchObject({ organization: 'acme-hq', last_poll: { protocol: 'taxii11', user: 'alice' }, lag: { of: 'indicators', objects: 0, versions: 0 } });
    await submit('bob', 'amber', ['198.51.100.30']); // the head office reads its branch's AMBER
    expect((await figures('alice')).own_polls?.lag).toMatchObject({ objects: 1, versions: 1 });
    // COUNT_ONLY serves no record: it records the poll, not a position
    expect((await poll11('alice', 'acme-internal', 'COUNT_ONLY')).text).toContain('Record_Count');
    expect((await figures('alice')).own_polls?.lag).toMatchObject({ objects: 1, versions: 1 });
  });

  test('a sensor-feed read is a poll of indicators: full or delta, it moves the position; a note is never lag for it', async () => {
    const full = await request(app).get(`/api/collections/${ACME}/feeds/csv`).set('Authorization', demoAuth('alice'));
    expect(full.status).toBe(200);
    expect((await figures('alice')).own_polls).toMatchObject({ last_poll: { protocol: 'feed', user: 'alice' }, lag: { of: 'indicators', objects: 0, versions: 0 } });
    expect((await figures('alice')).own_polls?.lag?.types).toBeUndefined();
    await postNote('bob');
    expect((await figures('alice')).own_polls?.lag).toMatchObject({ objects: 0, versions: 0 });
    await submit('bob', 'amber', ['198.51.100.31']);
    expect((await figures('alice')).own_polls?.lag).toMatchObject({ of: 'indicators', objects: 1, versions: 1 });
    const delta = await request(app).get(`/api/collections/${ACME}/feeds/csv?since=${encodeURIComponent(String(full.headers['x-feed-cursor']))}`).set('Authorization', demoAuth('alice'));
    expect(delta.headers['x-feed-content']).toBe('delta');
    expect((await figures('alice')).own_polls?.lag).toMatchObject({ objects: 0, versions: 0 });
    // A 304 is an answered read too: the reader holds the feed as it is now.
    const again = await request(app).get(`/api/collections/${ACME}/feeds/csv`).set('Authorization', demoAuth('dave'));
    expect(again.status).toBe(404); // Globex reads nothing of ACME internal: refused, not recorded
    const etag = String((await request(app).get(`/api/collections/${ACME}/feeds/csv`).set('Authorization', demoAuth('alice'))).headers.etag);
    await poll11('alice', 'acme-internal');
    expect((await request(app).get(`/api/collections/${ACME}/feeds/csv`).set('Authorization', demoAuth('alice')).set('If-None-Match', etag)).status).toBe(304);
    expect((await figures('alice')).own_polls?.last_poll?.protocol).toBe('feed');
  });

  test('the figures count all objects and, beside them, the indicators among them', async () => {
    const f = await figures('alice');
    expect(f.indicators).toBeGreaterThanOrEqual(4);
    expect(f.indicators).toBeLessThan(f.objects); // bob's identity is an object, not an indicator
    expect(f.by_provider_and_tlp.reduce((sum, r) => sum + r.indicators, 0)).toBe(f.indicators);
  });

  test("a read of the hub's change feed is recorded as such, at the position of the cursor it returned; a refused one is not", async () => {
    expect((await request(app).get('/api/collections/acme-internal/changes').set('Authorization', demoAuth('frank'))).status).toBe(404);
    const read = await request(app).get('/api/collections/acme-internal/changes?limit=1').set('Authorization', demoAuth('bob'));
    expect(read.status).toBe(200);
    const first = (read.body as { events: { position: number }[]; more: boolean }).events[0];
    expect(read.body).toMatchObject({ more: true });
    const bob = (await figures('bob')).own_polls;
    expect(bob).toMatchObject({ organization: 'acme-east', last_poll: { protocol: 'changes', user: 'bob' }, lag: { of: 'objects' } });
    expect(bob?.lag?.objects).toBeGreaterThanOrEqual(1); // he read one event of several
    expect((bob?.lag?.oldest_waiting ?? '') > formatMicros(first?.position ?? 0)).toBe(true); // microsecond timestamps, the same form
    // A read of some types only: his lag counts those types.
    expect((await request(app).get('/api/collections/acme-internal/changes?types=indicator').set('Authorization', demoAuth('bob'))).status).toBe(200);
    expect((await figures('bob')).own_polls?.lag).toEqual({ of: 'objects', types: ['indicator'], objects: 0, versions: 0 });
    expect(await storedMarks('initech')).toBe(0);
  });

  test('stopping the recorder (shutdown, before the database closes) writes the polls not yet written', async () => {
    expect((await poll11('dave', 'isac-feed')).text).toContain('Poll_Response');
    expect(await storedMarks('globex-hq')).toBe(0);
    await hub.polls.stop();
    expect(await storedMarks('globex-hq')).toBe(1);
  });
});
