import { createCollectionService } from '../../src/services/collection-service';
import { createPolicyService } from '../../src/services/policy-service';
import { createSubmissionService, type SubmissionService } from '../../src/services/submission-service';
import type { Database } from '../../src/storage/sql/database';
import { SqlObjectStore } from '../../src/storage/sql/sql-object-store';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import { createStixValidator } from '../../src/validation/stix-validator';
import { createSubmissionValidator } from '../../src/validation/submission-validator';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../support/demo-config';
import { openTestDatabase, testEngines } from '../support/test-databases';
import { principal } from '../support/principals';

const who = principal;
const bob = who('bob', 'acme-east', ['provider', 'consumer']);

describe.each(testEngines())('unified submissions on %s', (engine) => {
  let db: Database;
  let submissions: SubmissionService;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const store = createSqlTenancyStore(db);
    await applyDemoConfig(store);
    const policy = createPolicyService({ store });
    const collections = createCollectionService({ store, policy });
    submissions = createSubmissionService({ collections, store, policy, objects: new SqlObjectStore(db), validate: createSubmissionValidator(), validateStix: createStixValidator() });
  });
  afterAll(() => db.close());

  const doc = (values: string[], confidence?: number) => ({
    collection: DEMO_COLLECTIONS.acmeInternal,
    valid_from: '2026-11-01T00:00:00Z',
    ...(confidence !== undefined ? { confidence } : {}),
    indicators: values.map((value) => ({ kind: 'url', value })),
  });

  const heads = async (value: string) =>
    (await db.query<{ id: string; versions: string }>(
      `SELECT id, count(*) AS versions FROM stix_objects WHERE type = 'indicator' AND object->>'pattern' = $1 GROUP BY id`,
      [`[url:value = '${value}']`],
    )).rows;

  test('concurrent submissions of the same values make one indicator per value, and every change is a version of it', async () => {
    const values = Array.from({ length: 5 }, (_v, i) => `https://race.example/${engine}/${i}`);
    // Eight providers' clients at once: four identical, four with other confidences (each a change).
    const results = await Promise.all(Array.from({ length: 8 }, (_v, i) => submissions.submit(bob, doc(values, i < 4 ? 50 : 60 + i))));
    for (const [n, value] of values.entries()) {
      const stored = await heads(value);
      expect(stored).toHaveLength(1);
      const ids = new Set(results.map((r) => (r.items[n] as { id: string }).id));
      expect(ids).toEqual(new Set([stored[0]?.id]));
      // Exactly one creation; versions = 1 + the updates reported; no update is lost or doubled.
      const outcomes = results.map((r) => r.items[n]?.outcome);
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
      expect(Number(stored[0]?.versions)).toBe(1 + outcomes.filter((o) => o === 'updated').length);
    }
  });

  test('the indicator key table points every (kind, value) of a provider at exactly one indicator', async () => {
    await submissions.submit(bob, doc(['https://keys.example/a', 'https://keys.example/b']));
    await submissions.submit(bob, doc(['https://keys.example/a']));
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM indicator_keys WHERE provider_org_id = 'acme-east' AND value LIKE 'https://keys.example/%'`,
    );
    expect(Number(rows[0]?.n)).toBe(2);
  });

  test('versions record who wrote them', async () => {
    const result = await submissions.submit(bob, doc(['https://author.example/']));
    const id = (result.items[0] as { id: string }).id;
    const { rows } = await db.query<{ written_by: string }>('SELECT written_by FROM stix_objects WHERE id = $1', [id]);
    expect(rows).toEqual([{ written_by: 'bob' }]);
  });

  test('an object the hub builds that fails STIX validation is never stored, nor anything else of that submission', async () => {
    const store = createSqlTenancyStore(db);
    const policy = createPolicyService({ store });
    const strict = createSubmissionService({
      collections: createCollectionService({ store, policy }),
      store,
      policy,
      objects: new SqlObjectStore(db),
      validate: createSubmissionValidator(),
      // A validator that finds every campaign invalid stands for a hub bug in building one.
      validateStix: (object) => ((object as { type?: unknown }).type === 'campaign' ? { ok: false, problems: [{ path: 'name', message: 'broken' }] } : { ok: true }),
    });
    await expect(strict.submit(bob, { ...doc(['https://guarded.example/']), campaign: 'Guarded' })).rejects.toThrow('the hub built an invalid campaign');
    expect(await heads('https://guarded.example/')).toEqual([]);
  });
});
