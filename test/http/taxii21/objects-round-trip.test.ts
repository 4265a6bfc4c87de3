import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { markingRefFor } from '../../../src/domain/tlp';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { TAXII, del, get, json, objectsOf } from './objects-fixture';

let hub: DemoConfigHub;
beforeAll(async () => {
  hub = await startDemoConfigHub();
});
afterAll(() => hub.close());

const COLLECTION = `/demo/collections/${DEMO_COLLECTIONS.acmeInternal}`;
const post = (username: string, body: unknown) =>
  request(hub.app).post(`${COLLECTION}/objects/`).set('Authorization', demoAuth(username)).set('Accept', TAXII).set('Content-Type', TAXII).send(JSON.stringify(body));

test('what a provider posts, its entitled consumers read back as posted; after the provider deletes it, it is gone', async () => {
  const id = `indicator--${randomUUID()}`;
  const base = { type: 'indicator', spec_version: '2.1', id, created: '2026-05-01T00:00:00.000Z', name: 'posted', pattern: "[ipv4-addr:value = '203.0.113.9']", pattern_type: 'stix', valid_from: '2026-05-01T00:00:00Z', x_acme_score: 7 };
  const v1 = { ...base, modified: '2026-05-01T00:00:00.000Z' };
  const v2 = { ...base, modified: '2026-05-02T00:00:00.000Z' };
  const posted = await post('bob', { objects: [v1, v2] });
  expect(posted.status).toBe(202);
  expect(json(posted)).toMatchObject({ success_count: 2 });

  // acme-east's AMBER (the collection default, written into the unmarked object) reaches the head office, not the sibling branch.
  expect(objectsOf(await get(hub.app, `${COLLECTION}/objects/${id}/`, 'alice'))).toEqual([{ ...v2, object_marking_refs: [markingRefFor('amber')] }]);
  expect((await get(hub.app, `${COLLECTION}/objects/${id}/`, 'carol')).status).toBe(404);

  const versions = await get(hub.app, `${COLLECTION}/objects/${id}/versions/`, 'alice');
  expect(json(versions).versions).toEqual((json(posted).successes as { version: string }[]).map((s) => s.version));
  const manifest = await get(hub.app, `${COLLECTION}/manifest/?match[id]=${id}`, 'alice');
  expect(objectsOf(manifest)).toEqual([expect.objectContaining({ id, version: '2026-05-02T00:00:00.000Z', media_type: 'application/stix+json;version=2.1' })]);

  expect((await del(hub.app, `${COLLECTION}/objects/${id}/`, 'bob')).status).toBe(200);
  expect((await get(hub.app, `${COLLECTION}/objects/${id}/`, 'alice')).status).toBe(404);
});
