import request from 'supertest';
import { SqlChangeFeedStore } from '../../../src/storage/sql/sql-change-feed-store';
import { testEngines } from '../../support/test-databases';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../../http/support/demo-config-hub';

/**
 * A webhook's and a forward's backlog (delivery-backlog.ts), as the hub API shows it in `delivery`:
 * the stored change-feed events after the cursor that the delivery's user may read now (a forward:
 * of its filter's types), counted up to a cap. The hub runs no delivery engine here, so nothing
 * moves the cursors while the test writes.
 */

const ACME = DEMO_COLLECTIONS.acmeInternal;

describe.each(testEngines())('delivery backlogs on %s', (engine) => {
  let hub: DemoConfigHub;
  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
  });
  afterAll(() => hub.close());

  const call = (method: 'get' | 'post', user: string, path: string, body?: unknown) => {
    const req = request(hub.app)[method](`/api${path}`).set('Authorization', demoAuth(user));
    return body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };
  const submit = (user: string, values: readonly string[]) =>
    call('post', user, '/submissions', { collection: ACME, valid_from: '2026-11-01T00:00:00Z', indicators: values.map((value) => ({ kind: 'c2-ip', value })) });

  test('a new webhook and forward wait for nothing; what is written after them is their backlog, as their user may read it', async () => {
    const webhook = await call('post', 'alice', '/webhooks', { collection: 'acme-internal', url: 'https://hooks.acme.example/in' });
    const forward = await call('post', 'alice', '/forwards', { collection: 'acme-internal', api_root_url: 'https://taxii.partner.example/api1/', remote_collection: 'inbound', filter: { types: ['indicator'] } });
    expect([webhook.status, forward.status]).toEqual([201, 201]);
    expect(webhook.body.delivery).toMatchObject({ backlog: 0, backlog_more: false });
    expect(forward.body.delivery).toMatchObject({ backlog: 0, backlog_more: false });

    const submitted = await submit('alice', ['198.51.100.11', '198.51.100.12', '198.51.100.13']);
    expect(submitted.body.summary).toMatchObject({ created: 3 });

    // Every event alice may read after the webhook's cursor (the indicators and whatever else the
    // submission stored, e.g. the provider's identity), as the change feed itself lists them.
    const cursor = Number(webhook.body.delivery.cursor);
    const changes = await call('get', 'alice', `/collections/${ACME}/changes?from=beginning`);
    const after = (changes.body.events as { position: number; type: string }[]).filter((e) => Number(e.position) > cursor);
    expect(after.filter((e) => e.type === 'indicator')).toHaveLength(3);

    const shownWebhook = await call('get', 'alice', `/webhooks/${webhook.body.id}`);
    expect(shownWebhook.body.delivery).toMatchObject({ backlog: after.length, backlog_more: false });
    expect((await call('get', 'alice', '/webhooks')).body.webhooks.find((w: { id: string }) => w.id === webhook.body.id).delivery.backlog).toBe(after.length);
    // The forward counts only the types its filter sends.
    expect((await call('get', 'alice', `/forwards/${forward.body.id}`)).body.delivery).toMatchObject({ backlog: 3, backlog_more: false });
    // A paused delivery keeps its backlog (it is delivered on resume).
    expect((await call('post', 'alice', `/forwards/${forward.body.id}/pause`, {})).body.delivery).toMatchObject({ backlog: 3 });
  });

  test('the count stops at the cap and says there is more', async () => {
    const changes = new SqlChangeFeedStore(hub.db);
    const all = { collectionId: ACME, scope: { kind: 'all' } as const };
    const total = (await changes.events(all, 1_000)).events.length;
    expect(total).toBeGreaterThanOrEqual(3);
    expect(await changes.countEvents(all, 1_000)).toBe(total);
    expect(await changes.countEvents(all, 2)).toBe(3);
    expect(await changes.countEvents({ ...all, types: ['indicator'], atMost: 0 }, 10)).toBe(0);
    expect(await changes.countEvents({ ...all, scope: { kind: 'none' } }, 10)).toBe(0);
  });
});
