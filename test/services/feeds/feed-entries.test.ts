import request from 'supertest';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { demoAuth } from '../../http/support/demo-config-hub';
import { csvRows, startFeedsHub, type FeedsHub } from '../../http/hub-api/feeds-hub';

const ACME = DEMO_COLLECTIONS.acmeInternal;
const FROM = '2026-11-01T00:00:00Z';
const UNTIL = '2030-01-01T00:00:00Z';

describe.each(testEngines())('feed entries saved per indicator version on %s', (engine) => {
  let hub: FeedsHub;
  beforeAll(async () => {
    hub = await startFeedsHub(engine);
  });
  afterAll(() => hub.close());

  const derived = () => hub.composed.feeds.counters().derivedVersions;
  const savedRows = async () => Number((await hub.db.query<{ n: string }>('SELECT count(*) AS n FROM feed_entries')).rows[0]?.n);

  test("each version's entries are worked out once, as it is written: no render works them out again, whatever the format or audience", async () => {
    const rowsBefore = await savedRows();
    await hub.submit('alice', { collection: ACME, valid_from: FROM, valid_until: UNTIL, indicators: [{ kind: 'c2-ip', value: '45.61.140.1' }, { kind: 'url', value: 'https://once.feeds-test-c2.net/a' }] });
    expect(await savedRows()).toBe(rowsBefore + 2);
    const before = derived();
    expect((await hub.feed('alice', ACME, 'csv')).status).toBe(200);
    await hub.submit('alice', { collection: ACME, valid_from: FROM, valid_until: UNTIL, indicators: [{ kind: 'c2-hostname', value: 'once.feeds-test-c2.net' }] });
    const csv = await hub.feed('alice', ACME, 'csv', '?min_confidence=0'); // another key: a full render
    expect(csvRows(csv.text).map((r) => r.value)).toEqual(expect.arrayContaining(['45.61.140.1', 'https://once.feeds-test-c2.net/a', 'once.feeds-test-c2.net']));
    expect((await hub.feed('carol', ACME, 'text', '?kind=c2-ip')).status).toBe(200);
    expect((await hub.feed('alice', ACME, 'suricata')).status).toBe(200);
    expect(derived() - before).toBe(0);
    expect(await savedRows()).toBe(rowsBefore + 3);
    // Versions stored without their entries (by an older hub) are worked out by the first render, once.
    const stored = await savedRows();
    await hub.db.query('DELETE FROM feed_entries');
    expect((await hub.feed('alice', ACME, 'csv', '?min_confidence=1')).status).toBe(200); // a key not rendered before: a full render
    const worked = derived() - before;
    expect(worked).toBeGreaterThanOrEqual(3);
    expect((await hub.feed('alice', ACME, 'text', '?min_confidence=1')).status).toBe(200);
    expect(derived() - before).toBe(worked);
    expect(await savedRows()).toBeLessThanOrEqual(stored);
  });

  test('a purged indicator takes its saved entries with it', async () => {
    const [id] = await hub.submit('alice', { collection: ACME, valid_from: FROM, valid_until: UNTIL, indicators: [{ kind: 'c2-ip', value: '45.61.140.9' }] });
    expect(csvRows((await hub.feed('alice', ACME, 'csv', '?kind=c2-ip')).text).map((r) => r.value)).toContain('45.61.140.9');
    const rows = await savedRows();
    const purged = await request(hub.app).post(`/api/indicators/${id}/purge`).set('Authorization', demoAuth('operator')).set('Content-Type', 'application/json').send(JSON.stringify({ reason: 'shared by mistake' }));
    expect(purged.status).toBe(200);
    expect(await savedRows()).toBe(rows - 1);
    expect(csvRows((await hub.feed('alice', ACME, 'csv')).text).map((r) => r.value)).not.toContain('45.61.140.9');
  });
});
