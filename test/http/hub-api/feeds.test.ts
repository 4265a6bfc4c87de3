import request from 'supertest';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { demoAuth } from '../support/demo-config-hub';
import { csvRows, startFeedsHub, type FeedsHub } from './feeds-hub';

const ACME = DEMO_COLLECTIONS.acmeInternal;
const ALLIANCE = DEMO_COLLECTIONS.allianceExchange;
const FROM = '2026-11-01T00:00:00Z';
const UNTIL = '2030-01-01T00:00:00Z';

describe.each(testEngines())('sensor feeds over HTTP on %s', (engine) => {
  let hub: FeedsHub;
  beforeAll(async () => {
    hub = await startFeedsHub(engine);
  });
  afterAll(() => hub.close());

  const counters = () => hub.composed.feeds.counters();
  const values = (res: request.Response) => csvRows(res.text).map((r) => r.value);

  test("a branch's feed never holds a sibling's AMBER indicator; the head office's and the provider's own do", async () => {
    const [id] = await hub.submit('bob', { collection: ACME, valid_from: FROM, valid_until: UNTIL, marking: { tlp: 'amber' }, indicators: [{ kind: 'c2-ip', value: '45.61.136.41' }] });
    const own = await hub.feed('bob', ACME, 'csv');
    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toMatch(/^text\/csv/);
    expect(csvRows(own.text)).toContainEqual(expect.objectContaining({ value: '45.61.136.41', kind: 'c2-ip', tlp: 'amber', indicator_id: id }));
    expect(values(await hub.feed('alice', ACME, 'csv'))).toContain('45.61.136.41');
    expect(values(await hub.feed('carol', ACME, 'csv'))).not.toContain('45.61.136.41');
    const text = await hub.feed('carol', ACME, 'text', '?kind=c2-ip');
    expect(text.status).toBe(200);
    expect(text.text).not.toContain('45.61.136.41');
  });

  test('a feed answers an ETag and X-Feed-Cursor; the same ETag in If-None-Match is 304 without rendering, until the collection changes', async () => {
    await hub.submit('alice', { collection: ACME, valid_from: FROM, valid_until: UNTIL, indicators: [{ kind: 'c2-hostname', value: 'etag-1.feeds-test-c2.net' }] });
    const first = await hub.feed('alice', ACME, 'csv', '?kind=c2-hostname');
    expect(first.status).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers['x-feed-cursor']).toEqual(expect.any(String));
    const rendered = counters().renders;
    const again = await hub.feed('alice', ACME, 'csv', '?kind=c2-hostname', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(counters().renders).toBe(rendered);

    await hub.submit('alice', { collection: ACME, valid_from: FROM, valid_until: UNTIL, indicators: [{ kind: 'c2-hostname', value: 'etag-2.feeds-test-c2.net' }] });
    const changed = await hub.feed('alice', ACME, 'csv', '?kind=c2-hostname', { 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(values(changed)).toEqual(expect.arrayContaining(['etag-1.feeds-test-c2.net', 'etag-2.feeds-test-c2.net']));
  });

  test('a client accepting gzip gets the same feed gzip-encoded', async () => {
    const plain = await hub.feed('alice', ACME, 'csv', '', { 'Accept-Encoding': 'identity' });
    const zipped = await hub.feed('alice', ACME, 'csv', '', { 'Accept-Encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(zipped.text).toBe(plain.text); // supertest inflates it
    expect(zipped.headers.etag).toBe(plain.headers.etag);
  });

  test('readers of one audience share one rendering; another audience gets its own', async () => {
    const created = await request(hub.app).post('/admin/api/users').set('Authorization', demoAuth('alice')).set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'alice2', organization: 'acme-hq', roles: ['consumer'], password: 'alice2-demo-pw' }));
    expect(created.status).toBe(201);
    await hub.submit('alice', { collection: ACME, valid_from: FROM, valid_until: UNTIL, marking: { tlp: 'green' }, indicators: [{ kind: 'email-from', value: 'ceo@shared-render.feeds-test-c2.net' }] });
    const before = counters();
    const alice = await hub.feed('alice', ACME, 'csv', '?kind=email-from');
    const alice2 = await hub.feed('alice2', ACME, 'csv', '?kind=email-from');
    expect(values(alice)).toEqual(['ceo@shared-render.feeds-test-c2.net']);
    expect(alice2.text).toBe(alice.text);
    const afterHq = counters();
    expect(afterHq.renders - before.renders).toBe(1);
    expect(afterHq.cacheHits - before.cacheHits).toBe(1);
    const carol = await hub.feed('carol', ACME, 'csv', '?kind=email-from');
    expect(values(carol)).toEqual(['ceo@shared-render.feeds-test-c2.net']);
    expect(counters().renders - afterHq.renders).toBe(1);
  });

  test('after a change, a kept feed is brought up to date from the change feed, and equals a full render', async () => {
    const [stays, goes] = await hub.submit('alice', {
      collection: ACME, valid_from: FROM, valid_until: UNTIL,
      indicators: [{ kind: 'email-subject', value: 'Invoice overdue 4711' }, { kind: 'email-subject', value: 'Invoice overdue 4712' }],
    });
    const first = await hub.feed('alice', ACME, 'csv', '?kind=email-subject');
    expect(csvRows(first.text).map((r) => r.indicator_id)).toEqual(expect.arrayContaining([stays, goes]));
    const before = counters();
    const revoked = await request(hub.app).post(`/api/collections/${ACME}/indicators/${goes}/revoke`).set('Authorization', demoAuth('alice')).set('Content-Type', 'application/json').send('{}');
    expect(revoked.status).toBe(200);
    const [added] = await hub.submit('bob', { collection: ACME, valid_from: FROM, valid_until: UNTIL, indicators: [{ kind: 'email-subject', value: 'Invoice overdue 4713' }] });
    const updated = await hub.feed('alice', ACME, 'csv', '?kind=email-subject');
    expect(counters().incrementalRenders - before.incrementalRenders).toBe(1);
    expect(counters().renders - before.renders).toBe(0);
    const ids = csvRows(updated.text).map((r) => r.indicator_id);
    expect(ids).toEqual(expect.arrayContaining([stays, added]));
    expect(ids).not.toContain(goes);
    const full = await hub.feed('alice', ACME, 'csv', '?kind=email-subject&min_confidence=0'); // another key: a full render
    expect(counters().renders - before.renders).toBe(1);
    expect(updated.text).toBe(full.text);
  });

  test('a value on a warning list is left out of feeds unless its provider marked it intentional', async () => {
    const [warned, meant] = await hub.submit('alice', {
      collection: ACME, valid_from: FROM, valid_until: UNTIL,
      indicators: [{ kind: 'c2-ip', value: '10.20.30.40' }, { kind: 'c2-ip', value: '10.20.30.41', intentional: true }],
    });
    const rows = csvRows((await hub.feed('alice', ACME, 'csv', '?kind=c2-ip')).text);
    expect(rows.map((r) => r.indicator_id)).not.toContain(warned);
    expect(rows).toContainEqual(expect.objectContaining({ indicator_id: meant, value: '10.20.30.41' }));
  });

  test('since a cursor, the csv feed lists additions and removals (revoked, benign, expired, purged) with an op column', async () => {
    const [revoked, benign, expiring, purged] = await hub.submit('alice', {
      collection: ACME,
      valid_from: FROM,
      valid_until: UNTIL,
      indicators: [{ kind: 'url', value: 'https://delta-r.feeds-test-c2.net/' }, { kind: 'url', value: 'https://delta-b.feeds-test-c2.net/' }, { kind: 'url', value: 'https://delta-e.feeds-test-c2.net/' }, { kind: 'url', value: 'https://delta-p.feeds-test-c2.net/' }],
    });
    const start = await hub.feed('alice', ACME, 'csv', '?kind=url');
    const cursor = start.headers['x-feed-cursor'] as string;
    const api = (path: string, body: unknown, username = 'alice') => request(hub.app).post(`/api${path}`).set('Authorization', demoAuth(username)).set('Content-Type', 'application/json').send(JSON.stringify(body));
    expect((await api(`/collections/${ACME}/indicators/${revoked}/revoke`, { reason: 'wrong' })).status).toBe(200);
    expect((await api(`/collections/${ACME}/indicators/${benign}/benign`, { reason: 'cleaned' })).status).toBe(200);
    expect((await api(`/indicators/${purged}/purge`, { reason: 'shared by mistake' }, 'operator')).status).toBe(200);
    const [added] = await hub.submit('alice', { collection: ACME, valid_from: FROM, valid_until: '2029-01-01T00:00:00Z', indicators: [{ kind: 'url', value: 'https://delta-new.feeds-test-c2.net/' }] });
    // The expiring indicator's valid_until is moved before the others' by a new version, then the clock passes it.
    await hub.submit('alice', { collection: ACME, valid_from: FROM, valid_until: '2028-01-01T00:00:00Z', indicators: [{ kind: 'url', value: 'https://delta-e.feeds-test-c2.net/' }] });
    await hub.composed.changeFeedStore.emitExpirations(Date.parse('2028-06-01T00:00:00Z') * 1000);

    const delta = await hub.feed('alice', ACME, 'csv', `?kind=url&since=${encodeURIComponent(cursor)}`);
    expect(delta.status).toBe(200);
    expect(delta.headers['x-feed-content']).toBe('delta');
    expect(delta.headers['x-feed-cursor']).not.toBe(cursor);
    const rows = csvRows(delta.text);
    const of = (id: string | undefined) => rows.filter((r) => r.indicator_id === id).map((r) => `${r.op}:${r.reason}`);
    expect(of(revoked)).toEqual(['remove:revoked']);
    expect(of(benign)).toEqual(['remove:benign']);
    expect(of(purged)).toEqual(['remove:purged']);
    expect(of(expiring)).toEqual(['remove:expired']);
    expect(of(added)).toEqual(['add:']);
    expect(rows.find((r) => r.indicator_id === revoked)?.value).toBe('https://delta-r.feeds-test-c2.net/');

    // From the new cursor on, nothing.
    const next = await hub.feed('alice', ACME, 'csv', `?kind=url&since=${encodeURIComponent(delta.headers['x-feed-cursor'] as string)}`);
    expect(csvRows(next.text)).toEqual([]);
  });

  test('a reader that lost access to indicators receives them as access-lost removals', async () => {
    const admin = (method: 'post' | 'patch', path: string, body: unknown) =>
      request(hub.app)[method](`/admin/api${path}`).set('Authorization', demoAuth('operator')).set('Content-Type', 'application/json').send(JSON.stringify(body));
    expect((await admin('post', '/trust-groups', { id: 'feed-peers', name: 'Feed peers', topology: 'horizontal', members: ['acme-hq', 'globex-hq', 'initech'] })).status).toBe(201);
    const collection = await admin('post', '/collections', { api_root: 'demo', title: 'Feed peers exchange', owner: { trust_group: 'feed-peers' }, default_marking: 'amber' });
    expect(collection.status).toBe(201);
    const peers = (collection.body as { id: string }).id;
    const [id] = await hub.submit('dave', { collection: peers, valid_from: FROM, valid_until: UNTIL, marking: { tlp: 'amber' }, indicators: [{ kind: 'c2-ip', value: '45.61.136.77' }] });
    const start = await hub.feed('alice', peers, 'csv');
    expect(values(start)).toContain('45.61.136.77');
    const patched = await admin('patch', '/trust-groups/feed-peers', { members: ['acme-hq', 'initech'] });
    expect(patched.status).toBe(200);
    const delta = await hub.feed('alice', peers, 'csv', `?since=${encodeURIComponent(start.headers['x-feed-cursor'] as string)}`);
    expect(delta.status).toBe(200);
    expect(csvRows(delta.text)).toContainEqual(expect.objectContaining({ op: 'remove', reason: 'access-lost', indicator_id: id }));
    expect(values(await hub.feed('alice', peers, 'csv'))).not.toContain('45.61.136.77');
  });

  test('formats without removal syntax answer the full set and the cursor for since', async () => {
    const start = await hub.feed('alice', ACME, 'text', '?kind=c2-hostname');
    const res = await hub.feed('alice', ACME, 'text', `?kind=c2-hostname&since=${encodeURIComponent(start.headers['x-feed-cursor'] as string)}`);
    expect(res.status).toBe(200);
    expect(res.headers['x-feed-content']).toBe('full');
    expect(res.text).toBe(start.text);
  });

  test.each([
    ['an unknown format', 'csvx', '', 404],
    ['an unknown kind', 'csv', '?kind=mac-address', 400],
    ['a kind the format cannot express', 'rpz', '?kind=file-hash', 400],
    ['min_confidence above 100', 'csv', '?min_confidence=101', 400],
    ['min_confidence that is not a number', 'csv', '?min_confidence=high', 400],
    ['a repeated parameter', 'csv', '?kind=url&kind=c2-ip', 400],
    ['an unknown parameter', 'csv', '?knd=url', 400],
    ['a cursor that is not one', 'csv', '?since=not-a-cursor', 400],
  ])('%s is a JSON error, never a 500', async (_name, format, query, status) => {
    const res = await hub.feed('alice', ACME, format, query);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) });
  });

  test("a cursor of another collection is refused", async () => {
    const other = await hub.feed('alice', ALLIANCE, 'csv');
    const res = await hub.feed('alice', ACME, 'csv', `?since=${encodeURIComponent(other.headers['x-feed-cursor'] as string)}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_CURSOR', message: expect.stringMatching(/since/) });
  });

  test('a reader who may not read the collection gets what a TAXII read answers: 404 as for an unknown collection', async () => {
    const unknown = await hub.feed('frank', '00000000-0000-4000-8000-000000000000', 'csv');
    const hidden = await hub.feed('frank', ACME, 'csv');
    expect(hidden.status).toBe(404);
    expect(unknown.status).toBe(404);
    const taxii = await request(app()).get(`/demo/collections/${ACME}/objects/`).set('Authorization', demoAuth('frank')).set('Accept', 'application/taxii+json;version=2.1');
    expect(taxii.status).toBe(404);
    expect((await request(app()).get(`/api/collections/${ACME}/feeds/csv`)).status).toBe(401);
    expect((await request(app()).post(`/api/collections/${ACME}/feeds/csv`).set('Authorization', demoAuth('alice'))).status).toBe(405);
  });
  const app = () => hub.app;
});
