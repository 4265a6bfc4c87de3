import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import { markingRefFor } from '../../../src/domain/tlp';
import { TAXII_MEDIA_TYPE } from '../../../src/http/taxii21/media-types';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { indicator } from '../../support/stix-fixtures';

/** TAXII 2.1 Add Objects (§5.5) as bob (acme-east, provider) writes to acme-internal, over the demo config. */

let hub: DemoConfigHub;
beforeAll(async () => {
  hub = await startDemoConfigHub();
});
afterAll(() => hub.close());

const OBJECTS = '/demo/collections/acme-internal/objects/';
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const RED_NEEDS_RECIPIENTS = `TLP:RED needs named recipients in extensions["${HUB_EXTENSION_ID}"].red_recipients`;

const post = (username: string, body: unknown, path = OBJECTS) =>
  request(hub.app).post(path).set('Authorization', demoAuth(username)).set('Accept', TAXII_MEDIA_TYPE).set('Content-Type', TAXII_MEDIA_TYPE).send(JSON.stringify(body));
const json = (res: request.Response): Record<string, unknown> => JSON.parse(res.text) as Record<string, unknown>;

describe('POST objects: 202 with a status resource', () => {
  test('an envelope of valid objects: every one a success, the status complete', async () => {
    const a = indicator();
    // A marking-definition has created but no modified.
    const b = {
      type: 'marking-definition', spec_version: '2.1', id: `marking-definition--${randomUUID()}`, created: '2026-01-05T10:00:00.123Z',
      definition_type: 'statement', definition: { statement: 'Copyright ACME East' },
    };
    const res = await post('bob', { objects: [a, b] });
    expect(res.status).toBe(202);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    const status = json(res);
    expect(Object.keys(status).sort()).toEqual(['id', 'pending_count', 'request_timestamp', 'status', 'success_count', 'successes', 'failure_count', 'total_count'].sort());
    expect(status).toMatchObject({ status: 'complete', total_count: 2, success_count: 2, failure_count: 0, pending_count: 0 });
    expect(status.id).toMatch(UUID);
    expect(status.request_timestamp).toMatch(TIMESTAMP);
    // Each version is the object's modified, else its created, exactly as posted.
    expect(status.successes).toEqual([
      { id: a.id, version: '2026-01-02T00:00:00.000Z' },
      { id: b.id, version: '2026-01-05T10:00:00.123Z' },
    ]);
  });

  test('a mixed envelope: each object succeeds or fails on its own, with the reason, and the counts add up', async () => {
    const present = indicator();
    expect((await post('bob', { objects: [present] })).status).toBe(202);

    const valid = indicator();
    const badId = indicator({ id: 'indicator--not-a-uuid' });
    const redAlone = indicator({ object_marking_refs: [markingRefFor('red')] });
    const conflicting = { ...present, name: 'the same version, different content' };
    const res = await post('bob', { objects: [valid, badId, redAlone, present, conflicting] });

    expect(res.status).toBe(202);
    expect(json(res)).toEqual({
      id: expect.stringMatching(UUID),
      status: 'complete',
      request_timestamp: expect.stringMatching(TIMESTAMP),
      total_count: 5,
      success_count: 2,
      failure_count: 3,
      pending_count: 0,
      successes: [
        { id: valid.id, version: '2026-01-02T00:00:00.000Z' },
        { id: present.id, version: '2026-01-02T00:00:00.000Z', message: 'already present' },
      ],
      failures: [
        { id: 'indicator--not-a-uuid', version: '2026-01-02T00:00:00.000Z', message: 'id: must be a STIX identifier: type--UUID, lower-case, such as indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' },
        { id: redAlone.id, version: '2026-01-02T00:00:00.000Z', message: RED_NEEDS_RECIPIENTS },
        { id: present.id, version: '2026-01-02T00:00:00.000Z', message: 'a different object with this id and version already exists' },
      ],
    });
    // The identical repost did not become a second version; the conflicting one was not stored.
    const stored = await hub.db.query<{ name: string }>("SELECT object->>'name' AS name FROM stix_objects WHERE id = $1", [present.id]);
    expect(stored.rows).toEqual([{ name: 'a bad address' }]);
  });

  test('every object passes full STIX 2.1 validation: the valid one is stored and readable, the others fail with their reasons', async () => {
    const valid = indicator();
    const badPattern = indicator({ pattern: "[ipv4-addr:value == '198.51.100.7']" });
    const modifiedFirst = indicator({ created: '2026-01-02T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z' });
    const fromMarking = {
      type: 'relationship', spec_version: '2.1', id: `relationship--${randomUUID()}`, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z',
      relationship_type: 'indicates', source_ref: markingRefFor('green'), target_ref: `malware--${randomUUID()}`,
    };
    const res = await post('bob', { objects: [valid, badPattern, modifiedFirst, fromMarking] });

    expect(res.status).toBe(202);
    expect(json(res)).toMatchObject({
      total_count: 4,
      success_count: 1,
      failure_count: 3,
      successes: [{ id: valid.id, version: '2026-01-02T00:00:00.000Z' }],
      failures: [
        { id: badPattern.id, version: '2026-01-02T00:00:00.000Z', message: "pattern: is not a valid STIX pattern: at position 18, expected a constant after '=', found '='" },
        { id: modifiedFirst.id, version: '2026-01-01T00:00:00.000Z', message: 'modified: must not be earlier than created' },
        { id: fromMarking.id, version: '2026-01-01T00:00:00.000Z', message: 'source_ref: must be the id of an SDO or SCO, not of a marking-definition' },
      ],
    });
    const read = await request(hub.app).get(`${OBJECTS}${String(valid.id)}/`).set('Authorization', demoAuth('bob')).set('Accept', TAXII_MEDIA_TYPE);
    expect(read.status).toBe(200);
    expect(json(read).objects).toEqual([{ ...valid, object_marking_refs: [markingRefFor('amber')] }]);
    for (const failed of [badPattern, modifiedFirst, fromMarking]) {
      const missing = await request(hub.app).get(`${OBJECTS}${String(failed.id)}/`).set('Authorization', demoAuth('bob')).set('Accept', TAXII_MEDIA_TYPE);
      expect([failed.id, missing.status]).toEqual([failed.id, 404]);
    }
  });

  test('a STIX bundle (what the stix2 library posts) is accepted; its other keys are ignored', async () => {
    const object = indicator();
    const res = await post('bob', { type: 'bundle', id: `bundle--${randomUUID()}`, spec_version: '2.0', objects: [object] });
    expect(res.status).toBe(202);
    expect(json(res)).toMatchObject({ total_count: 1, success_count: 1, successes: [{ id: object.id }] });
  });

  test('stored objects carry the poster as provider and their TLP: the marking, else the collection default', async () => {
    const amberByDefault = indicator();
    const green = indicator({ object_marking_refs: [markingRefFor('green')] });
    const red = indicator({ object_marking_refs: [markingRefFor('red')], extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', red_recipients: ['acme-hq'] } } });
    expect(json(await post('bob', { objects: [amberByDefault, green, red] }))).toMatchObject({ success_count: 3 });
    const rows = await hub.db.query<{ id: string; provider_org_id: string; tlp: string; recipients: string[] }>(
      'SELECT id, provider_org_id, tlp, recipients FROM stix_objects WHERE collection_id = $1 AND id = ANY($2::text[]) ORDER BY date_added',
      [DEMO_COLLECTIONS.acmeInternal, [amberByDefault.id, green.id, red.id]],
    );
    expect(rows.rows).toEqual([
      { id: amberByDefault.id, provider_org_id: 'acme-east', tlp: 'amber', recipients: [] },
      { id: green.id, provider_org_id: 'acme-east', tlp: 'green', recipients: [] },
      { id: red.id, provider_org_id: 'acme-east', tlp: 'red', recipients: ['acme-hq'] },
    ]);
  });
});

describe('POST objects: who may post', () => {
  test('without credentials: 401 with a challenge', async () => {
    const res = await request(hub.app).post(OBJECTS).set('Content-Type', TAXII_MEDIA_TYPE).send(JSON.stringify({ objects: [indicator()] }));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBeDefined();
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
  });

  test('a consumer-only member of the group (carol, acme-west): 403', async () => {
    const res = await post('carol', { objects: [indicator()] });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(json(res)).toMatchObject({ error_code: 'FORBIDDEN', http_status: '403' });
  });

  test('an organization outside the group (grace, vandelay): 404, as for a collection that does not exist', async () => {
    const res = await post('grace', { objects: [indicator()] });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(json(res)).toMatchObject({ error_code: 'NOT_FOUND', http_status: '404' });
  });

  test('an Accept header naming no TAXII type: 406', async () => {
    const res = await post('bob', { objects: [indicator()] }).set('Accept', 'application/json');
    expect(res.status).toBe(406);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
  });

  test('another method: 405 with Allow; without the trailing slash: 404', async () => {
    const put = await request(hub.app).put(OBJECTS).set('Authorization', demoAuth('bob'));
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, POST, HEAD');
    expect((await post('bob', { objects: [indicator()] }, OBJECTS.slice(0, -1))).status).toBe(404);
  });
});
