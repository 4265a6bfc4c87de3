import request from 'supertest';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { json } from '../taxii21/objects-fixture';

let hub: DemoConfigHub;
beforeAll(async () => {
  hub = await startDemoConfigHub();
});
afterAll(() => hub.close());

const ACME = DEMO_COLLECTIONS.acmeInternal;
const post = (path: string, username: string | undefined, body: unknown) => {
  const req = request(hub.app).post(`/api${path}`).set('Content-Type', 'application/json');
  if (username !== undefined) req.set('Authorization', demoAuth(username));
  return req.send(JSON.stringify(body));
};
const list = (username: string) => request(hub.app).get(`/api/collections/${ACME}/indicators?provider=acme-east`).set('Authorization', demoAuth(username));

const lines = [
  { kind: 'c2-hostname', value: ' C2.Bücher.Example. ' },
  { kind: 'file-hash', algorithm: 'sha256', value: 'ABCD' },
  { kind: 'url', value: 'hxxp://evil[.]example/x' },
  { kind: 'c2-hostname', value: 'c2.xn--bcher-kva.example' },
  { kind: 'c2-ip', value: '10.20.30.40' },
];
const doc = { collection: ACME, valid_from: '2026-11-01T00:00:00Z', marking: { tlp: 'amber' }, campaign: 'Check Wave', indicators: lines };

describe('POST /api/submissions/check (a submission checked, nothing stored)', () => {
  test('each line is accepted with its canonical value or rejected with the very problems a submission gives; nothing is stored', async () => {
    const res = await post('/submissions/check', 'bob', doc);
    expect(res.status).toBe(200);
    expect(json(res)).toEqual({
      collection: ACME,
      summary: { accepted: 3, rejected: 2 },
      indicators: [
        { index: 0, kind: 'c2-hostname', value: 'c2.xn--bcher-kva.example', outcome: 'accepted', normalised: true, warnings: [expect.objectContaining({ list: 'documentation-domains' })] },
        { index: 1, kind: 'file-hash', value: 'ABCD', outcome: 'rejected', problems: [{ path: 'indicators[1].value', message: expect.stringContaining('64') }] },
        { index: 2, kind: 'url', value: 'hxxp://evil[.]example/x', outcome: 'rejected', problems: [{ path: 'indicators[2].value', message: expect.any(String) }] },
        { index: 3, kind: 'c2-hostname', value: 'c2.xn--bcher-kva.example', outcome: 'accepted', normalised: false, duplicate_of: 0, warnings: [expect.objectContaining({ list: 'documentation-domains' })] },
        { index: 4, kind: 'c2-ip', value: '10.20.30.40', outcome: 'accepted', normalised: false, warnings: [expect.objectContaining({ list: 'special-use-addresses' })] },
      ],
    });
    expect(json(await list('bob')).indicators).toEqual([]);

    // The submission itself then rejects the same lines with the same words, and stores the others.
    const stored = json(await post('/submissions', 'bob', doc)) as { indicators: { index: number; outcome: string; problems?: unknown }[] };
    const checked = json(res).indicators as { index: number; outcome: string; problems?: unknown }[];
    expect(stored.indicators.filter((i) => i.outcome === 'rejected')).toEqual(checked.filter((i) => i.outcome === 'rejected'));
    expect(stored.indicators.map((i) => i.outcome)).toEqual(['created', 'rejected', 'rejected', 'unchanged', 'created']);
  });

  test('a document that cannot be read whole is a 400 naming every problem, as for a submission', async () => {
    const bad = { collection: ACME, valid_from: '2026-11-02T00:00:00Z', valid_until: '2026-11-01T00:00:00Z', marking: { tlp: 'red' }, indicators: [{ kind: 'url', value: 'https://a.example/' }] };
    const checked = await post('/submissions/check', 'bob', bad);
    const submitted = await post('/submissions', 'bob', bad);
    expect(checked.status).toBe(400);
    expect(json(checked)).toEqual(json(submitted));
    expect((json(checked).error as { problems: { path: string }[] }).problems.map((p) => p.path)).toEqual(['valid_until', 'marking.recipients']);
  });

  test('the same permission as a submission: a consumer is refused, an anonymous caller must sign in', async () => {
    const asCarol = await post('/submissions/check', 'carol', doc);
    expect(asCarol.status).toBe(403);
    expect(json(asCarol)).toEqual(json(await post('/submissions', 'carol', doc)));
    expect((await post('/submissions/check', undefined, doc)).status).toBe(401);
  });
});
