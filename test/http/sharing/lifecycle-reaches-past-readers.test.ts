import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { markingRefFor } from '../../../src/domain/tlp';
import { get, json } from '../taxii21/objects-fixture';
import { itemsOf, sharingClient, statusOf, stixIndicator, unreadableReferences } from './sharing-fixture';
import request from 'supertest';
import { demoAuth } from '../support/demo-config-hub';

/**
 * Issue 10, rule 1: every consumer that was ever served a version of an object receives every later
 * lifecycle change of it on its next incremental poll; a later version never narrows who may read
 * the object. In acme-internal (vertical: acme-hq over acme-east and acme-west), bob (acme-east)
 * provides; alice (acme-hq) reads his AMBER; carol (acme-west, a sibling) reads only CLEAR and GREEN.
 */
describe.each(testEngines())('a lifecycle change reaches every past reader, on %s', (engine) => {
  let hub: DemoConfigHub;
  let acme: ReturnType<typeof sharingClient>;
  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
    acme = sharingClient(hub, DEMO_COLLECTIONS.acmeInternal);
  });
  afterAll(() => hub.close());

  const revoke = (username: string, id: string) =>
    request(hub.app).post(`/api/collections/${DEMO_COLLECTIONS.acmeInternal}/indicators/${id}/revoke`).set('Authorization', demoAuth(username)).set('Content-Type', 'application/json').send('{}');

  test('a value shared GREEN, re-submitted RED to one organization, then revoked: the GREEN reader learns of the revocation and never sees the RED indicator', async () => {
    const value = { kind: 'c2-hostname', value: 'narrowed.example' };
    const green = itemsOf(await acme.submit('bob', { marking: { tlp: 'green' }, indicators: [value] }))[0];
    expect(green?.outcome).toBe('created');
    const carolFirst = await acme.poll('carol');
    expect(carolFirst.objects.map((o) => o.id)).toContain(green?.id);

    // Narrowing: the GREEN indicator is revoked under GREEN, a new RED one is made for acme-hq only.
    const red = itemsOf(await acme.submit('bob', { marking: { tlp: 'red', recipients: ['acme-hq'] }, indicators: [value] }))[0];
    expect(red).toMatchObject({ outcome: 'created' });
    expect(red?.id).not.toBe(green?.id);

    const carolNext = await acme.poll('carol', carolFirst.last);
    const revokedGreen = carolNext.objects.find((o) => o.id === green?.id);
    expect(revokedGreen).toMatchObject({ revoked: true });
    expect(carolNext.objects.map((o) => o.id)).not.toContain(red?.id);

    const aliceView = await acme.everything('alice');
    const link = aliceView.find((o) => o.type === 'relationship' && o.source_ref === red?.id && o.target_ref === green?.id);
    expect(link).toMatchObject({ relationship_type: 'related-to' });

    // The provider revokes the RED one: its reader receives it; carol still never sees it.
    const aliceBefore = await acme.poll('alice');
    expect((await revoke('bob', String(red?.id))).status).toBe(200);
    const aliceAfter = await acme.poll('alice', aliceBefore.last);
    expect(aliceAfter.objects.find((o) => o.id === red?.id)).toMatchObject({ revoked: true });
    expect((await acme.everything('carol')).map((o) => o.id)).not.toContain(red?.id);
    expect(await unreadableReferences(acme, 'carol')).toEqual([]);
    expect(await unreadableReferences(acme, 'alice')).toEqual([]);
  });

  test('over TAXII a narrowing version is refused with a reason that says how; a widening one is a normal new version', async () => {
    const v1 = stixIndicator('green');
    expect(statusOf(await acme.post('bob', [v1])).successes?.map((s) => s.id)).toEqual([v1.id]);
    const stricter = [
      { ...v1, modified: '2026-11-02T00:00:00.000Z', object_marking_refs: [markingRefFor('amber')] },
      stixIndicator('red', { id: v1.id, modified: '2026-11-03T00:00:00.000Z' }, ['acme-hq']),
    ];
    const refused = statusOf(await acme.post('bob', stricter));
    expect(refused.failures).toHaveLength(2);
    for (const failure of refused.failures ?? []) {
      expect(failure.message).toMatch(/would narrow who may read the object \(TLP:GREEN before, TLP:(AMBER|RED for acme-hq) now\).*revoke the object.*share a new object under the new marking.*related-to/);
    }
    const wider = { ...v1, modified: '2026-11-04T00:00:00.000Z', object_marking_refs: [markingRefFor('clear')] };
    expect(statusOf(await acme.post('bob', [wider])).successes?.map((s) => s.id)).toEqual([v1.id]);
    // An earlier version posted late is accepted when everyone who reads it reads the latest version.
    const lateOld = { ...v1, modified: '2026-11-01T12:00:00.000Z', object_marking_refs: [markingRefFor('green')] };
    expect(statusOf(await acme.post('bob', [lateOld])).successes?.map((s) => s.id)).toEqual([v1.id]);
    const carolVersions = json(await get(hub.app, `${acme.taxii}/objects/${String(v1.id)}/versions/`, 'carol'));
    expect(carolVersions.versions).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-04T00:00:00.000Z', '2026-11-01T12:00:00.000Z']); // date_added order
  });

  test('revoking a RED-to-one indicator over TAXII keeps its marking: its recipient receives the revocation', async () => {
    const red = stixIndicator('red', {}, ['acme-hq']);
    expect(statusOf(await acme.post('bob', [red])).successes).toHaveLength(1);
    const before = await acme.poll('alice');
    const revoked = { ...red, modified: '2026-11-05T00:00:00.000Z', revoked: true };
    expect(statusOf(await acme.post('bob', [revoked])).successes).toHaveLength(1);
    expect((await acme.poll('alice', before.last)).objects.find((o) => o.id === red.id)).toMatchObject({ revoked: true });
  });
});
