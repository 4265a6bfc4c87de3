import request from 'supertest';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { demoAuth } from '../support/demo-config-hub';
import { startFeedsHub, type FeedsHub } from './feeds-hub';

const ACME = DEMO_COLLECTIONS.acmeInternal;
const ISAC = DEMO_COLLECTIONS.isacFeed;
const FROM = '2026-11-01T00:00:00Z';
const UNTIL = '2030-01-01T00:00:00Z';
const HASH = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

interface Found { indicator: string; kind: string; value: string; collection: string; tlp: string; campaigns: string[]; provider?: string; how: string; field?: string; observed?: string }
interface Result { value?: string; line?: number; format?: string; observations?: { kind: string; field: string; value: string }[]; matches: Found[] }

describe.each(testEngines())('POST /api/match on %s', (engine) => {
  let hub: FeedsHub;
  const ids = new Map<string, string>();
  beforeAll(async () => {
    hub = await startFeedsHub(engine);
    const indicators = [
      { kind: 'c2-hostname', value: 'evil.match-test.example' },
      { kind: 'c2-ip', value: '198.51.100.0/24' },
      { kind: 'c2-ip', value: '203.0.113.5' },
      { kind: 'url', value: 'https://files.match-url.example/panel/login.php' },
      { kind: 'email-from', value: 'ceo@phish.match-test.example' },
      { kind: 'email-subject', value: 'Invoice 2026-1182 overdue' },
      { kind: 'email-attachment-name', value: 'Invoice_2026-1182.pdf.exe' },
      { kind: 'file-hash', value: HASH, algorithm: 'SHA-256' },
      { kind: 'email-sender-ip', value: '192.0.2.77' },
    ];
    const submitted = await hub.submit('alice', { collection: ACME, valid_from: FROM, valid_until: UNTIL, marking: { tlp: 'green' }, indicators });
    indicators.forEach((indicator, i) => ids.set(indicator.value, submitted[i] as string));
  });
  afterAll(() => hub.close());

  const post = (username: string | undefined, body: unknown) => {
    const req = request(hub.app).post('/api/match').set('Content-Type', 'application/json');
    if (username !== undefined) req.set('Authorization', demoAuth(username));
    return req.send(JSON.stringify(body));
  };
  const results = async (username: string, body: unknown): Promise<Result[]> => {
    const res = await post(username, body);
    expect(res.status).toBe(200);
    return (res.body as { results: Result[] }).results;
  };
  const indicatorsOf = (result: Result | undefined) => (result?.matches ?? []).map((m) => m.indicator);

  test('each kind: a hit and its near miss, answered in request order', async () => {
    const asked = [
      { value: 'a.b.evil.match-test.example', kind: 'host', hit: 'evil.match-test.example', how: 'subdomain' },
      { value: 'evil.match-test.example.com', kind: 'host' },
      { value: 'notevil.match-test.example', kind: 'host' },
      { value: '198.51.100.77', kind: 'ip', hit: '198.51.100.0/24', how: 'cidr' },
      { value: '198.51.101.1', kind: 'ip' },
      { value: '203.0.113.5', kind: 'ip', hit: '203.0.113.5', how: 'exact' },
      { value: 'https://files.match-url.example/panel/login.php', kind: 'url', hit: 'https://files.match-url.example/panel/login.php', how: 'exact' },
      { value: 'https://files.match-url.example/panel/other.php', kind: 'url' },
      { value: 'ceo@phish.match-test.example', kind: 'email', hit: 'ceo@phish.match-test.example', how: 'exact' },
      { value: 'cfo@phish.match-test.example', kind: 'email' },
      { value: 'Invoice 2026-1182 overdue', kind: 'subject', hit: 'Invoice 2026-1182 overdue', how: 'exact' },
      { value: 'Invoice 2026-1183 overdue', kind: 'subject' },
      { value: 'Invoice_2026-1182.pdf.exe', kind: 'filename', hit: 'Invoice_2026-1182.pdf.exe', how: 'exact' },
      { value: 'Invoice_2026-1182.pdf', kind: 'filename' },
      { value: HASH.toUpperCase(), kind: 'hash', hit: HASH, how: 'exact' },
      { value: HASH.replace(/^9/, '8'), kind: 'hash' },
      { value: '192.0.2.77', kind: 'ip', hit: '192.0.2.77', how: 'exact' },
    ];
    const answered = await results('alice', { values: asked.map(({ value, kind }) => ({ value, kind })), collections: [ACME] });
    expect(answered.map((r) => r.value)).toEqual(asked.map((a) => a.value));
    asked.forEach((a, i) => {
      const result = answered[i];
      if (a.hit === undefined) {
        expect({ value: a.value, matches: result?.matches }).toEqual({ value: a.value, matches: [] });
        return;
      }
      expect({ value: a.value, matches: result?.matches }).toEqual({
        value: a.value,
        matches: [expect.objectContaining({ indicator: ids.get(a.hit), value: a.hit, collection: ACME, tlp: 'green', campaigns: [], provider: 'acme-hq', how: a.how })],
      });
    });
    expect(answered[16]?.matches[0]?.kind).toBe('email-sender-ip');
    expect(answered[14]?.matches[0]?.kind).toBe('file-hash');
  });

  test('bare values are read with their kind detected', async () => {
    const answered = await results('alice', { values: ['x.evil.match-test.example', '198.51.100.9', 'https://files.match-url.example/panel/login.php', 'nothing-here.example'], collections: ['acme-internal'] });
    expect(indicatorsOf(answered[0])).toEqual([ids.get('evil.match-test.example')]);
    expect(indicatorsOf(answered[1])).toEqual([ids.get('198.51.100.0/24')]);
    expect(indicatorsOf(answered[2])).toEqual([ids.get('https://files.match-url.example/panel/login.php')]);
    expect(answered[3]?.matches).toEqual([]);
  });

  test('lines of a Postfix and a Squid log: each line numbered, with its format, what was read and what matched', async () => {
    const lines = [
      'Dec  6 10:00:01 mx1 postfix/smtpd[2102]: connect from unknown[192.0.2.77]',
      'Dec  6 10:00:01 mx1 postfix/cleanup[2103]: 4QXk2T0Zb7z9sWq: warning: header Subject: Invoice 2026-1182 overdue from unknown[192.0.2.77]; from=<ceo@phish.match-test.example> to=<ap@corp.example> proto=ESMTP helo=<mx.example>',
      'Dec  6 10:00:02 mx1 postfix/qmgr[1187]: 4QXk2T0Zb7z9sWq: from=<ceo@phish.match-test.example>, size=48211, nrcpt=1 (queue active)',
      'Dec  6 10:00:03 mx1 postfix/qmgr[1187]: 4QXk2T0Zb7z9sWr: from=<billing@invoice-portal.example>, size=48211, nrcpt=1 (queue active)',
      '1796551201.118    412 192.0.2.41 TCP_MISS/200 48211 GET https://files.match-url.example/panel/login.php - HIER_DIRECT/203.0.113.80 text/html',
      '1796551203.562     98 192.0.2.41 TCP_MISS/404 512 GET https://files.match-url.example/panel/readme.txt - HIER_DIRECT/203.0.113.80 text/html',
      '1796551210.004    233 192.0.2.42 TCP_MISS/200 3310 GET http://img.evil.match-test.example/banner.gif - HIER_DIRECT/198.51.100.80 image/gif',
    ];
    const answered = await results('alice', { lines, format: 'auto', collections: [ACME] });
    expect(answered.map((r) => [r.line, r.format])).toEqual([[1, 'postfix'], [2, 'postfix'], [3, 'postfix'], [4, 'postfix'], [5, 'squid'], [6, 'squid'], [7, 'squid']]);
    expect(answered[0]?.matches).toEqual([expect.objectContaining({ indicator: ids.get('192.0.2.77'), kind: 'email-sender-ip', field: 'client-ip', observed: '192.0.2.77' })]);
    expect(answered[1]?.observations).toEqual(expect.arrayContaining([{ kind: 'subject', field: 'subject', value: 'Invoice 2026-1182 overdue' }]));
    expect(answered[1]?.matches).toEqual([expect.objectContaining({ indicator: ids.get('Invoice 2026-1182 overdue'), kind: 'email-subject', field: 'subject' })]);
    expect(answered[2]?.matches).toEqual([expect.objectContaining({ indicator: ids.get('ceo@phish.match-test.example'), kind: 'email-from', field: 'envelope-from' })]);
    expect(answered[3]?.observations).toEqual([{ kind: 'email', field: 'envelope-from', value: 'billing@invoice-portal.example' }]);
    expect(answered[3]?.matches).toEqual([]);
    expect(indicatorsOf(answered[4])).toEqual([ids.get('https://files.match-url.example/panel/login.php')]);
    expect(answered[5]?.matches).toEqual([]); // another path on the same host
    // The client is not an indicator; the URL's host is a subdomain of one, the upstream address is in the CIDR.
    expect(new Set(indicatorsOf(answered[6]))).toEqual(new Set([ids.get('evil.match-test.example'), ids.get('198.51.100.0/24')]));
    expect(answered[6]?.matches.find((m) => m.indicator === ids.get('evil.match-test.example'))?.how).toBe('url-host');

    const squid = await results('alice', { lines: [lines[4]], format: 'squid', collections: [ACME] });
    expect(indicatorsOf(squid[0])).toEqual([ids.get('https://files.match-url.example/panel/login.php')]);
  });

  test("access: carol does not get acme-east's AMBER indicator, alice and the operator do; a request never uses another audience's index", async () => {
    const [bobs] = await hub.submit('bob', { collection: ACME, valid_from: FROM, valid_until: UNTIL, marking: { tlp: 'amber' }, indicators: [{ kind: 'c2-ip', value: '45.61.136.41' }] });
    const ask = { values: [{ value: '45.61.136.41', kind: 'ip' }] };
    expect(indicatorsOf((await results('bob', ask))[0])).toEqual([bobs]);
    expect((await results('carol', ask))[0]?.matches).toEqual([]);
    expect((await results('carol', { ...ask, collections: ['acme-internal'] }))[0]?.matches).toEqual([]);
    const hq = (await results('alice', ask))[0]?.matches;
    expect(hq).toEqual([expect.objectContaining({ indicator: bobs, tlp: 'amber', provider: 'acme-east', collection: ACME })]);
    const operator = (await results('operator', ask))[0]?.matches;
    expect(operator).toEqual([expect.objectContaining({ indicator: bobs, provider: 'acme-east' })]);
    // carol again, her index warm now: still nothing.
    expect((await results('carol', ask))[0]?.matches).toEqual([]);
  });

  test('a hidden-attribution collection names no provider, except to the provider itself and operators', async () => {
    const [id] = await hub.submit('alice', { collection: ISAC, valid_from: FROM, valid_until: UNTIL, indicators: [{ kind: 'c2-hostname', value: 'isac-only.match-test.example' }] });
    const ask = { values: [{ value: 'isac-only.match-test.example', kind: 'host' }] };
    const dave = (await results('dave', ask))[0]?.matches ?? [];
    expect(dave).toHaveLength(1);
    expect(dave[0]).toEqual(expect.objectContaining({ indicator: id, collection: ISAC }));
    expect(dave[0]).not.toHaveProperty('provider');
    expect((await results('alice', ask))[0]?.matches).toEqual([expect.objectContaining({ indicator: id, provider: 'acme-hq' })]);
    expect((await results('operator', ask))[0]?.matches).toEqual([expect.objectContaining({ indicator: id, provider: 'acme-hq' })]);
  });

  test('revoked and benign indicators stop matching, a new one starts matching, on the next request', async () => {
    const values = ['revoke-me.match-test.example', 'benign-me.match-test.example'];
    const [revoked, benign] = await hub.submit('alice', { collection: ACME, valid_from: FROM, valid_until: UNTIL, indicators: values.map((value) => ({ kind: 'c2-hostname', value })) });
    const ask = { values: [...values, 'new-one.match-test.example'].map((value) => ({ value, kind: 'host' })), collections: [ACME] };
    const before = await results('carol', ask);
    expect(before.map(indicatorsOf)).toEqual([[revoked], [benign], []]);
    const auth = demoAuth('alice');
    expect((await request(hub.app).post(`/api/collections/${ACME}/indicators/${revoked}/revoke`).set('Authorization', auth).set('Content-Type', 'application/json').send('{}')).status).toBe(200);
    expect((await request(hub.app).post(`/api/collections/${ACME}/indicators/${benign}/benign`).set('Authorization', auth).set('Content-Type', 'application/json').send(JSON.stringify({ reason: 'the domain was taken down' }))).status).toBe(200);
    const [added] = await hub.submit('alice', { collection: ACME, valid_from: FROM, valid_until: UNTIL, indicators: [{ kind: 'c2-hostname', value: 'new-one.match-test.example' }] });
    const builds = hub.composed.matches.counters().builds;
    const after = await results('carol', ask);
    expect(after.map(indicatorsOf)).toEqual([[], [], [added]]);
    expect(hub.composed.matches.counters().builds).toBe(builds); // brought up to date, not built again
  });

  test('more than 10,000 values is refused naming the path; 10,000 are answered', async () => {
    const many = Array.from({ length: 10_001 }, (_, i) => ({ value: `10.0.${i >> 8}.${i & 255}`, kind: 'ip' }));
    const refused = await post('alice', { values: many });
    expect(refused.status).toBe(400);
    expect((refused.body as { error: { problems: unknown[] } }).error.problems).toEqual([expect.objectContaining({ path: 'values' })]);
    const answered = await results('alice', { values: many.slice(0, 10_000) });
    expect(answered).toHaveLength(10_000);
  });

  test('a bad kind, a bad format, both values and lines, an unknown collection: errors with their path', async () => {
    const problems = async (body: unknown, status = 400) => {
      const res = await post('alice', body);
      expect(res.status).toBe(status);
      return ((res.body as { error: { problems?: { path: string }[] } }).error.problems ?? []).map((p) => p.path);
    };
    expect(await problems({ values: ['203.0.113.5', { value: 'x', kind: 'domain' }] })).toEqual(['values[1].kind']);
    expect(await problems({ lines: ['x'], format: 'syslog' })).toEqual(['format']);
    expect(await problems({ values: ['x'], lines: ['x'] })).toEqual(['lines']);
    expect(await problems({ values: ['x'], format: 'squid' })).toEqual(['format']);
    expect(await problems({})).toEqual(['values']);
    expect(await problems({ values: ['x'], collections: [ACME, 'no-such-collection'] }, 404)).toEqual(['collections[1]']);
  });

  test('unauthenticated: 401', async () => {
    const res = await post(undefined, { values: ['203.0.113.5'] });
    expect(res.status).toBe(401);
  });
});
