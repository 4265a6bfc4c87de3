import request from 'supertest';
import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import { TLP2_MARKING_REFS } from '../../../src/domain/tlp';
import { createStixValidator } from '../../../src/validation/stix-validator';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { get, json, objectsOf } from '../taxii21/objects-fixture';

/** A hub-made id: a random UUIDv4, never derived from a name. */
const UUID4_IDENTITY = /^identity--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let hub: DemoConfigHub;
beforeAll(async () => {
  hub = await startDemoConfigHub();
});
afterAll(() => hub.close());

const ACME = DEMO_COLLECTIONS.acmeInternal;
const TAXII_COLLECTION = `/demo/collections/${ACME}`;

const submit = (username: string | undefined, body: unknown) => {
  const req = request(hub.app).post('/api/submissions').set('Content-Type', 'application/json');
  if (username !== undefined) req.set('Authorization', demoAuth(username));
  return req.send(JSON.stringify(body));
};

const base = { collection: ACME, valid_from: '2026-11-01T00:00:00Z' };

interface ItemJson {
  index: number;
  outcome: string;
  id?: string;
  version?: string;
  value?: string;
  problems?: { path: string; message: string }[];
}
const items = (res: request.Response) => json(res).indicators as ItemJson[];
const problems = (res: request.Response) => (json(res).error as { problems: { path: string; message: string }[] }).problems;

describe('POST /api/submissions', () => {
  test('each valid indicator is stored as a STIX indicator; an invalid one is rejected with the field and the reason, the others still stored', async () => {
    const res = await submit('bob', {
      ...base,
      kill_chain_phase: 'command-and-control',
      indicators: [
        { kind: 'c2-ip', value: ' 2001:0DB8:0000:0000:0000:0000:0000:0001 ' },
        { kind: 'file-hash', algorithm: 'sha256', value: 'ABCD' },
        { kind: 'url', value: 'HTTP://Evil.Example:80/a%7e' },
      ],
    });
    expect(res.status).toBe(200);
    expect(json(res).summary).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 1 });
    const [ip, hash, url] = items(res);
    expect(ip).toMatchObject({ index: 0, outcome: 'created', value: '2001:db8::1', id: expect.stringMatching(/^indicator--/) });
    expect(hash).toMatchObject({ index: 1, outcome: 'rejected', problems: [{ path: 'indicators[1].value', message: expect.stringContaining('64') }] });
    expect(url).toMatchObject({ outcome: 'created', value: 'http://evil.example/a~' });

    const stored = objectsOf(await get(hub.app, `${TAXII_COLLECTION}/objects/${ip?.id}/`, 'alice'));
    expect(stored).toEqual([
      expect.objectContaining({
        type: 'indicator',
        id: ip?.id,
        pattern: "[ipv6-addr:value = '2001:db8::1']",
        pattern_type: 'stix',
        valid_from: '2026-11-01T00:00:00.000000Z',
        valid_until: '2027-01-30T00:00:00.000000Z', // 90 days: the default validity of a C2 address
        created_by_ref: expect.stringMatching(UUID4_IDENTITY),
        kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'command-and-control' }],
        object_marking_refs: [TLP2_MARKING_REFS.amber], // the collection's default
        extensions: { [HUB_EXTENSION_ID]: expect.objectContaining({ extension_type: 'property-extension', kind: 'c2-ip', state: 'active' }) },
      }),
    ]);
  });

  test('the same submission again is unchanged; a changed one makes a new version of the same indicator', async () => {
    const doc = { ...base, indicators: [{ kind: 'c2-hostname', value: 'C2.Bücher.Example.' }] };
    const first = items(await submit('bob', doc))[0];
    expect(first).toMatchObject({ outcome: 'created', value: 'c2.xn--bcher-kva.example' });
    const again = items(await submit('bob', { ...doc, indicators: [{ kind: 'c2-hostname', value: 'c2.xn--bcher-kva.example' }] }))[0];
    expect(again).toEqual({ ...first, value: 'c2.xn--bcher-kva.example', outcome: 'unchanged', kind: 'c2-hostname' });
    const changed = items(await submit('bob', { ...doc, confidence: 80 }))[0];
    expect(changed).toMatchObject({ outcome: 'updated', id: first?.id });
    expect(changed?.version).not.toBe(first?.version);

    const versions = json(await get(hub.app, `${TAXII_COLLECTION}/objects/${first?.id}/versions/`, 'alice')).versions as string[];
    expect(versions).toEqual([first?.version, changed?.version]);
    const latest = objectsOf(await get(hub.app, `${TAXII_COLLECTION}/objects/${first?.id}/`, 'alice'))[0];
    expect(latest).toMatchObject({ confidence: 80, created: first?.version, modified: changed?.version });
  });

  test('a value repeated within one submission is stored once', async () => {
    const res = await submit('bob', { ...base, indicators: [{ kind: 'email-from', value: 'eve@phish.example' }, { kind: 'email-from', value: ' eve@PHISH.example' }] });
    const [a, b] = items(res);
    expect(a).toMatchObject({ outcome: 'created' });
    expect(b).toMatchObject({ outcome: 'unchanged', id: a?.id, version: a?.version });
  });

  test('deduplication is per provider: another organization sending the same value gets its own indicator', async () => {
    const doc = { ...base, indicators: [{ kind: 'email-subject', value: "Invoice 'Q4' \\ overdue" }] };
    const east = items(await submit('bob', doc))[0];
    const hq = items(await submit('alice', doc))[0];
    expect(east?.outcome).toBe('created');
    expect(hq?.outcome).toBe('created');
    expect(hq?.id).not.toBe(east?.id);
    const stored = objectsOf(await get(hub.app, `${TAXII_COLLECTION}/objects/${hq?.id}/`, 'alice'))[0];
    expect(stored?.pattern).toBe("[email-message:subject = 'Invoice \\'Q4\\' \\\\ overdue']");
  });

  test('a campaign label links every indicator to one campaign object of the provider', async () => {
    const res = await submit('bob', { ...base, campaign: 'Operation Paper Cut', indicators: [{ kind: 'email-attachment-name', value: 'invoice.pdf.exe' }, { kind: 'c2-ip', value: '198.51.100.99' }] });
    const ids = items(res).map((i) => i.id);
    const relationships = objectsOf(await get(hub.app, `${TAXII_COLLECTION}/objects/?match[type]=relationship`, 'alice'))
      .filter((r) => ids.includes(r.source_ref as string));
    expect(relationships).toHaveLength(2);
    expect(new Set(relationships.map((r) => r.target_ref)).size).toBe(1);
    const campaign = objectsOf(await get(hub.app, `${TAXII_COLLECTION}/objects/${relationships[0]?.target_ref as string}/`, 'alice'))[0];
    expect(campaign).toMatchObject({ type: 'campaign', name: 'Operation Paper Cut', created_by_ref: expect.stringMatching(UUID4_IDENTITY) });
    const creator = objectsOf(await get(hub.app, `${TAXII_COLLECTION}/objects/${String(campaign?.created_by_ref)}/`, 'alice'))[0];
    expect(creator).toMatchObject({ type: 'identity', name: 'ACME East', identity_class: 'organization' });
  });

  test('TLP:RED needs named recipients, who must exist; the indicator then names them in the hub extension', async () => {
    const red = (recipients?: string[]) => ({ ...base, marking: { tlp: 'red', ...(recipients ? { recipients } : {}) }, indicators: [{ kind: 'c2-ip', value: '203.0.113.66' }] });
    const missing = await submit('bob', red());
    expect(missing.status).toBe(400);
    expect(problems(missing)).toEqual([{ path: 'marking.recipients', message: expect.stringContaining('required for TLP:RED') }]);
    const unknown = await submit('bob', red(['acme-wst']));
    expect(problems(unknown)).toEqual([{ path: 'marking.recipients[0]', message: 'there is no organization "acme-wst"' }]);
    const ok = items(await submit('bob', red(['acme-west'])))[0];
    expect((await get(hub.app, `${TAXII_COLLECTION}/objects/${ok?.id}/`, 'carol')).status).toBe(200);
    expect((await get(hub.app, `${TAXII_COLLECTION}/objects/${ok?.id}/`, 'alice')).status).toBe(404);
  });

  test('every object a consumer reads after submissions passes the hub validator, patterns included', async () => {
    await submit('bob', { ...base, description: 'seen in a spear-phishing wave', indicators: [
      { kind: 'email-sender-ip', value: '192.0.2.0/24' },
      { kind: 'file-hash', algorithm: 'MD5', value: 'D41D8CD98F00B204E9800998ECF8427E' },
      { kind: 'url', value: "https://phish.example/login?next=%2f&q='x'" },
    ] });
    const validate = createStixValidator();
    const all = objectsOf(await get(hub.app, `${TAXII_COLLECTION}/objects/?limit=1000`, 'alice'));
    expect(all.length).toBeGreaterThan(5);
    expect(new Set(all.map((o) => o.type))).toEqual(new Set(['indicator', 'identity', 'extension-definition', 'marking-definition', 'campaign', 'relationship']));
    for (const object of all) expect({ id: object.id, result: validate(object) }).toEqual({ id: object.id, result: { ok: true } });
    // STIX best practice (the OASIS validator's strict mode): every indicator the hub builds has a name and a description.
    for (const object of all.filter((o) => o.type === 'indicator')) expect(object).toMatchObject({ name: expect.any(String), description: expect.any(String) });
  });

  describe('refusals of the whole document', () => {
    test('a document that breaks the schema is a 400 naming every problem, and nothing is stored', async () => {
      const count = async () => objectsOf(await get(hub.app, `${TAXII_COLLECTION}/manifest/?limit=1000`, 'bob')).length;
      const before = await count();
      const res = await submit('bob', { collection: ACME, confidence: 101, indicators: [{ kind: 'c2-ip', value: '198.51.100.77' }] });
      expect(res.status).toBe(400);
      expect(await count()).toBe(before);
    });

    test('every problem of the document is named at once', async () => {
      const res = await submit('bob', { collection: '', confidence: 101, indicators: [] });
      expect(res.status).toBe(400);
      const paths = problems(res).map((p) => p.path).sort();
      expect(paths).toEqual(['collection', 'confidence', 'indicators', 'valid_from']);
    });

    test('valid_until must come after valid_from', async () => {
      const res = await submit('bob', { ...base, valid_until: '2026-10-01T00:00:00Z', indicators: [{ kind: 'c2-ip', value: '198.51.100.1' }] });
      expect(res.status).toBe(400);
      expect(problems(res)).toEqual([{ path: 'valid_until', message: 'must be later than valid_from' }]);
    });

    test.each([
      ['anonymous', undefined, 401],
      ['a consumer without the provider role', 'carol', 403],
      ['an organization that cannot see the collection', 'frank', 404],
    ])('%s is refused (%s -> %i)', async (_what, username, status) => {
      const res = await submit(username, { ...base, indicators: [{ kind: 'c2-ip', value: '198.51.100.2' }] });
      expect(res.status).toBe(status);
    });

    test('an unknown collection is a 404', async () => {
      const res = await submit('bob', { ...base, collection: '00000000-0000-4000-8000-000000000000', indicators: [{ kind: 'c2-ip', value: '198.51.100.3' }] });
      expect(res.status).toBe(404);
    });

    test('a body that is not JSON is a 415', async () => {
      const res = await request(hub.app).post('/api/submissions').set('Authorization', demoAuth('bob')).set('Content-Type', 'text/plain').send('c2-ip 1.2.3.4');
      expect(res.status).toBe(415);
    });
  });

  test('an item of an unknown kind, or with a property the schema does not know, is rejected on its own', async () => {
    const res = await submit('bob', { ...base, indicators: [{ kind: 'mutex', value: 'x' }, { kind: 'c2-ip', value: '198.51.100.4', note: 'x' }, { kind: 'c2-ip', value: '198.51.100.5' }] });
    expect(res.status).toBe(200);
    const [unknownKind, extra, fine] = items(res);
    expect(unknownKind).toMatchObject({ outcome: 'rejected', problems: [{ path: 'indicators[0].kind', message: expect.stringContaining('must be one of') }] });
    expect(extra).toMatchObject({ outcome: 'rejected', problems: [{ path: 'indicators[1].note', message: 'is not a known property' }] });
    expect(fine?.outcome).toBe('created');
  });

  test('submission outcomes and lifecycle changes are counted in /metrics', async () => {
    const counter = async (line: string) => {
      const text = (await request(hub.app).get('/metrics')).text;
      const match = new RegExp(`^${line.replace(/[{}"]/g, '\\$&')} (\\d+)$`, 'm').exec(text);
      return match ? Number(match[1]) : 0;
    };
    const created = 'hub_submitted_indicators_total{outcome="created"}';
    const rejected = 'hub_submitted_indicators_total{outcome="rejected"}';
    const revoked = 'hub_indicator_transitions_total{transition="revoked"}';
    const before = { created: await counter(created), rejected: await counter(rejected), revoked: await counter(revoked) };
    const res = await submit('bob', { ...base, indicators: [{ kind: 'c2-ip', value: '198.51.100.88' }, { kind: 'c2-ip', value: '198.51.100.888' }] });
    const id = items(res)[0]?.id as string;
    await request(hub.app).post(`/api/collections/${ACME}/indicators/${id}/revoke`).set('Authorization', demoAuth('bob')).set('Content-Type', 'application/json').send('{}');
    expect({ created: await counter(created), rejected: await counter(rejected), revoked: await counter(revoked) })
      .toEqual({ created: before.created + 1, rejected: before.rejected + 1, revoked: before.revoked + 1 });
  });
});
