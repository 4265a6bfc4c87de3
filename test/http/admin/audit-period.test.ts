import { startDemoHub, type AdminClient, type DemoHub } from './demo-hub';

/**
 * GET /admin/api/audit?since=…&until=…: the entries made in a period, `since` inclusive and `until`
 * exclusive (RFC 3339 with a time zone), with the other filters and paging; a bad date is a 400 in
 * the admin JSON error form naming the parameter.
 */

let hub: DemoHub;
let op: AdminClient;
beforeAll(async () => {
  hub = await startDemoHub();
  op = hub.as('operator');
});
afterAll(() => hub.close());

interface Entry { id: number; at: string; action: string; entity_id: string }
interface Page { entries: Entry[]; next_after?: number; next_before?: number }

async function audit(query: string): Promise<Page> {
  const res = await op.get(`/audit?${query}`);
  expect(res.status).toBe(200);
  return res.body as Page;
}

const RFC3339 = 'must be an RFC 3339 timestamp with a time zone, e.g. 2026-12-01T00:00:00Z';

describe('the audit trail of a period', () => {
  let entries: Entry[];
  beforeAll(async () => {
    expect((await op.post('/organizations', { id: 'period-corp', name: 'Period 1' })).status).toBe(201);
    for (const name of ['Period 2', 'Period 3', 'Period 4']) expect((await op.patch('/organizations/period-corp', { name })).status).toBe(200);
    entries = (await audit('entity_id=period-corp')).entries;
    expect(entries.map((e) => e.action)).toEqual(['organization.create', 'organization.update', 'organization.update', 'organization.update']);
  });

  // The answer's `at` has milliseconds; the stored time may have microseconds. An entry whose shown
  // time is at or after a shown instant was made at or after it, so these expectations are exact.
  const madeAtOrAfter = (instant: string) => entries.filter((e) => Date.parse(e.at) >= Date.parse(instant)).map((e) => e.id);
  const madeBefore = (instant: string) => entries.filter((e) => Date.parse(e.at) < Date.parse(instant)).map((e) => e.id);

  test('`since` keeps the entries made at or after it (inclusive)', async () => {
    const pivot = entries[2]?.at ?? '';
    const got = (await audit(`entity_id=period-corp&since=${encodeURIComponent(pivot)}`)).entries.map((e) => e.id);
    expect(got).toEqual(madeAtOrAfter(pivot));
    expect(got).toContain(entries[2]?.id);
    expect(got).toContain(entries[3]?.id);
    expect(got).not.toContain(entries[0]?.id);
  });

  test('`until` keeps the entries made before it (exclusive)', async () => {
    const pivot = entries[2]?.at ?? '';
    const got = (await audit(`entity_id=period-corp&until=${encodeURIComponent(pivot)}`)).entries.map((e) => e.id);
    expect(got).toEqual(madeBefore(pivot));
    expect(got).toContain(entries[0]?.id);
    expect(got).not.toContain(entries[2]?.id);
  });

  test('both together, with a time zone offset, newest first and paged with `before`', async () => {
    const since = entries[0]?.at ?? '';
    const until = entries[3]?.at ?? '';
    const expected = madeAtOrAfter(since).filter((id) => madeBefore(until).includes(id));
    expect(expected).toContain(entries[0]?.id);
    // The same instant as `since`, written nine hours ahead.
    const sinceTokyo = new Date(Date.parse(since) + 9 * 3600_000).toISOString().replace('Z', '+09:00');
    const first = await audit(`entity_id=period-corp&order=newest&limit=1&since=${encodeURIComponent(sinceTokyo)}&until=${encodeURIComponent(until)}`);
    const ids = first.entries.map((e) => e.id);
    let before = first.next_before;
    while (before !== undefined) {
      const page = await audit(`entity_id=period-corp&order=newest&limit=1&before=${before}&since=${encodeURIComponent(sinceTokyo)}&until=${encodeURIComponent(until)}`);
      ids.push(...page.entries.map((e) => e.id));
      before = page.next_before;
    }
    expect(ids).toEqual([...expected].reverse());
  });

  test('a period before anything was written is empty; one around everything holds it all', async () => {
    expect((await audit('until=2000-01-01T00:00:00Z')).entries).toEqual([]);
    const all = (await audit('entity_id=period-corp&since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00Z')).entries;
    expect(all).toEqual(entries);
  });
});

describe('a bad period gets 400 naming the parameter', () => {
  test.each([
    ['since=yesterday', 'since'],
    ['since=2026-12-01', 'since'], // a date alone is not an instant
    ['until=2026-12-01T00:00:00', 'until'], // no time zone
    ['until=2026-13-01T00:00:00Z', 'until'],
    ['since=2026-12-01T00:00:00Z&since=2026-12-02T00:00:00Z', 'since'], // given twice
  ])('%s', async (query, name) => {
    const res = await op.get(`/audit?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: { code: 'VALIDATION_FAILED', title: 'Validation failed', message: `${name}: ${RFC3339}`, problems: [{ path: name, message: RFC3339 }] } });
  });

  test('an `until` that is not after `since`', async () => {
    for (const query of ['since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z', 'since=2026-12-01T09:00:00%2B09:00&until=2026-12-01T00:00:00Z']) {
      const res = await op.get(`/audit?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.problems).toEqual([{ path: 'until', message: 'must be after since' }]);
    }
  });

  test('only the operator reads a period, as the rest of the audit trail', async () => {
    for (const user of ['alice', 'bob', 'carol'] as const) expect((await hub.as(user).get('/audit?since=2000-01-01T00:00:00Z')).status).toBe(403);
  });
});
