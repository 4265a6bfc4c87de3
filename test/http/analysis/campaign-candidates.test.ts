import request from 'supertest';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { EXPECTED, submitThreeWaves, submitWave, waveAuth, candidatesOf as candidatesOfAs } from '../../support/three-waves';
import { startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';

export interface CandidateJson {
  id: string;
  status: string;
  sizes: { indicators: number; submissions: number; providers: number; collections: number };
  shared: { kind: string; value: string }[];
  first_added: string;
  last_added: string;
  members: { collection: string; id: string; kind?: string; value?: string; tlp: string; provider?: string; first_added: string }[];
  campaign?: { id: string; name: string; new_members: string[] };
}

const valuesOf = (c: CandidateJson) => c.members.map((m) => m.value ?? '?').sort();
/** The candidates as their members' values, in a fixed order. */
const asValues = (cs: readonly CandidateJson[]) => cs.map(valuesOf).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const expected = (...lists: (readonly string[])[]) => lists.map((l) => [...l]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const withValue = (cs: readonly CandidateJson[], value: string) => cs.find((c) => c.members.some((m) => m.value === value)) as CandidateJson;

/** GET /api/campaign-candidates (issue 15 §2): per reader, over what it may read, on the three-wave scenario. */
describe.each(testEngines())('campaign candidates on %s', (engine) => {
  let hub: DemoConfigHub;

  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
    await submitThreeWaves(hub.app);
  });
  afterAll(async () => hub.close());

  const candidatesOf = (user: string, status?: string) => candidatesOfAs<CandidateJson>(hub.app, user, status);

  it('the operator gets the reused sender IP, attachment and C2 host across three providers and two collections, and the single-provider clusters; noise joins none', async () => {
    const candidates = await candidatesOf('operator');
    expect(asValues(candidates)).toEqual(expected(EXPECTED.senderIp, EXPECTED.attachment, EXPECTED.host, EXPECTED.ledger, EXPECTED.helpdesk));
    const host = withValue(candidates, 'payroll@cdn-update.kuro-relay.example');
    expect(host.sizes).toEqual({ indicators: 5, submissions: 4, providers: 3, collections: 2 });
    expect(host.shared).toEqual([{ kind: 'host', value: 'cdn-update.kuro-relay.example' }]);
    expect(host.status).toBe('open');
    expect(host.id).toMatch(/^candidate--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const ip = withValue(candidates, '203.0.113.45');
    expect(ip.sizes).toEqual({ indicators: 3, submissions: 3, providers: 3, collections: 2 });
    expect(ip.shared).toEqual([{ kind: 'address', value: '203.0.113.45' }]);
    // Operators see every provider, even where attribution is hidden.
    expect(ip.members.map((m) => m.provider).sort()).toEqual(['acme-hq', 'globex-hq', 'initech']);
    expect(withValue(candidates, 'remittance_advice_0923.zip').shared).toEqual([{ kind: 'attachment', value: 'Remittance_Advice_0923.zip' }]); // as its earliest member wrote it
    expect(ip.members.every((m) => m.kind === 'email-sender-ip')).toBe(true);
  });

  it('a reader gets only candidates built from what it may read, with sizes that count only that', async () => {
    // grace (Vandelay, ISAC only): the attachment and heidi's ledger; the IP and the host have only 2 indicators she may read.
    const grace = await candidatesOf('grace');
    expect(asValues(grace)).toEqual(expected(EXPECTED.attachment, EXPECTED.ledger));
    const attachment = withValue(grace, 'remittance_advice_0923.zip');
    expect(attachment.sizes).toEqual({ indicators: 3, submissions: 3, providers: 3, collections: 1 });
    // Attribution is hidden in the ISAC: grace sees only her own organization's (heidi's report).
    expect(attachment.members.map((m) => m.provider ?? 'hidden').sort()).toEqual(['hidden', 'hidden', 'vandelay']);
    expect(attachment.members.every((m) => m.collection === DEMO_COLLECTIONS.isacFeed)).toBe(true);

    // erin (Globex lab) reads only globex-hq's alliance data: the host candidate of dave's three indicators.
    const erin = await candidatesOf('erin');
    expect(asValues(erin)).toEqual(expected(EXPECTED.hostGlobexLab));
    expect((erin[0] as CandidateJson).sizes).toEqual({ indicators: 3, submissions: 2, providers: 1, collections: 1 });
    expect((erin[0] as CandidateJson).members.every((m) => m.provider === 'globex-hq' && m.collection === DEMO_COLLECTIONS.allianceExchange)).toBe(true);

    // carol (ACME West) reads ACME internal, where alice publishes downward.
    expect(asValues(await candidatesOf('carol'))).toEqual(expected(EXPECTED.helpdesk));
    // dave (Globex, in the ISAC and the alliance) reads everything but ACME internal.
    expect(asValues(await candidatesOf('dave'))).toEqual(expected(EXPECTED.senderIp, EXPECTED.attachment, EXPECTED.host, EXPECTED.ledger));
    // The same cluster has a different id for each audience.
    const operatorHost = withValue(await candidatesOf('operator'), 'payroll@cdn-update.kuro-relay.example');
    expect(operatorHost.id).not.toBe((erin[0] as CandidateJson).id);
  });

  it('a candidate keeps its id as it grows, and a new indicator that shares a value joins it on the next request', async () => {
    const before = withValue(await candidatesOf('grace'), 'ledger-sync.example');
    await submitWave(hub.app, { name: 'ledger 3', user: 'heidi', collection: DEMO_COLLECTIONS.isacFeed, tlp: 'green', indicators: [{ kind: 'url', value: 'http://ledger-sync.example/pay2' }] });
    const after = (await candidatesOf('grace')).find((c) => c.id === before.id) as CandidateJson;
    expect(after.sizes).toEqual({ indicators: 4, submissions: 3, providers: 1, collections: 1 });
    expect(after.first_added).toBe(before.first_added);
    expect(after.last_added > before.last_added).toBe(true);
  });

  it('a revoked indicator leaves its candidate', async () => {
    const helpdesk = withValue(await candidatesOf('alice'), 'helpdesk-reset.example');
    const c2 = helpdesk.members.find((m) => m.value === 'helpdesk-reset.example') as CandidateJson['members'][number];
    const revoked = await request(hub.app).post(`/api/collections/${DEMO_COLLECTIONS.acmeInternal}/indicators/${c2.id}/revoke`).set('Authorization', waveAuth('alice')).send({ reason: 'mistaken' });
    expect(revoked.status).toBe(200);
    // Two indicators from one submission are left: no candidate.
    expect((await candidatesOf('alice')).some((c) => c.members.some((m) => m.value?.includes('helpdesk-reset') === true))).toBe(false);
  });

  it('?indicator= gives the candidate holding it, and only to a reader who sees it there; ?limit= pages most recently active first', async () => {
    const all = await candidatesOf('operator', 'all');
    const host = withValue(all, 'payroll@cdn-update.kuro-relay.example');
    const member = host.members[0] as CandidateJson['members'][number];
    const held = await request(hub.app).get(`/api/campaign-candidates?status=all&indicator=${member.id}`).set('Authorization', waveAuth('operator'));
    expect((held.body as { candidates: CandidateJson[] }).candidates.map((c) => c.id)).toEqual([host.id]);
    // carol reads acme-internal only: the same question answers with her own candidate or none, never the operator's.
    const carol = await request(hub.app).get(`/api/campaign-candidates?status=all&indicator=${member.id}`).set('Authorization', waveAuth('carol'));
    expect((carol.body as { candidates: CandidateJson[] }).candidates.every((c) => c.id !== host.id && c.members.some((m) => m.id === member.id))).toBe(true);
    const lastAdded = all.map((c) => c.last_added);
    expect(lastAdded).toEqual([...lastAdded].sort().reverse());
    const pages: string[] = [];
    let after: string | undefined;
    do {
      const page = await request(hub.app).get(`/api/campaign-candidates?status=all&limit=2${after !== undefined ? `&after=${after}` : ''}`).set('Authorization', waveAuth('operator'));
      expect(page.status).toBe(200);
      const body = page.body as { candidates: CandidateJson[]; next?: string };
      pages.push(...body.candidates.map((c) => c.id));
      after = body.next;
    } while (after !== undefined);
    expect(pages).toEqual(all.map((c) => c.id));
  });

  it('answers 400 for a bad limit, indicator or cursor', async () => {
    for (const query of ['limit=0', 'limit=501', 'limit=ten', 'indicator=campaign--0b8a5b1c-7c1e-4d0e-8d7a-5b4f0c2e9a12', 'after=nonsense']) {
      const bad = await request(hub.app).get(`/api/campaign-candidates?${query}`).set('Authorization', waveAuth('grace'));
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain(query.split('=')[0] as string);
    }
  });

  it('answers 400 for an unknown status and 401 without credentials', async () => {
    const bad = await request(hub.app).get('/api/campaign-candidates?status=maybe').set('Authorization', waveAuth('grace'));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('status');
    expect((await request(hub.app).get('/api/campaign-candidates')).status).toBe(401);
  });
});
