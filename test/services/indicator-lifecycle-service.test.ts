import { isHubError } from '../../src/domain/errors';
import { createSharingServices, type SharingServices } from '../../src/hub-composition';
import { createLogger } from '../../src/http/ops/logging';
import type { Database } from '../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../support/demo-config';
import { openTestDatabase, testEngines } from '../support/test-databases';
import { principal } from '../support/principals';

const who = principal;
const bob = who('bob', 'acme-east', ['provider', 'consumer']);
const ACME = DEMO_COLLECTIONS.acmeInternal;

describe.each(testEngines())('lifecycle transitions racing on %s', (engine) => {
  let db: Database;
  let services: SharingServices;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const store = createSqlTenancyStore(db);
    await applyDemoConfig(store);
    services = createSharingServices({ db, store, logger: createLogger('silent') });
  });
  afterAll(() => db.close());

  const submit = (value: string, confidence: number) =>
    services.submissions.submit(bob, { collection: ACME, valid_from: '2026-11-01T00:00:00Z', confidence, indicators: [{ kind: 'c2-hostname', value }] });

  const versionsOf = async (id: string) =>
    (await db.query<{ version: string; revoked: boolean }>(`SELECT version, (object->>'revoked') = 'true' AS revoked FROM stix_objects WHERE id = $1 ORDER BY version`, [id])).rows;

  test('transitions racing with each other and with updates: one transition wins, it is the head, and no update is lost', async () => {
    for (let round = 0; round < 3; round++) {
      const value = `race-${round}.${engine}.example`;
      const created = await submit(value, 1);
      const id = (created.items[0] as { id: string }).id;
      const [transitions, updates] = await Promise.all([
        Promise.allSettled([
          ...Array.from({ length: 3 }, () => services.indicators.transition(bob, ACME, id, { to: 'revoked', reason: 'withdrawn' })),
          ...Array.from({ length: 3 }, () => services.indicators.transition(bob, ACME, id, { to: 'benign', reason: 'cleaned' })),
        ]),
        Promise.allSettled(Array.from({ length: 6 }, (_v, i) => submit(value, 10 + i))),
      ]);
      const won = transitions.filter((s) => s.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const lost of transitions.filter((s) => s.status === 'rejected')) {
        expect(isHubError(lost.reason) && lost.reason.code).toBe('CONFLICT');
      }

      // The revoked version is the indicator's last: nothing was written after it.
      const versions = await versionsOf(id);
      expect(versions.filter((v) => v.revoked)).toHaveLength(1);
      expect(versions.at(-1)?.revoked).toBe(true);
      // Every update reported on this indicator is one of its versions: none lost, none doubled.
      const submissions = updates.map((s) => (s.status === 'fulfilled' ? s.value.items[0] : undefined));
      const updated = submissions.filter((item) => item?.outcome === 'updated' && item.id === id);
      expect(versions).toHaveLength(1 + updated.length + 1);
      // Submissions after the revocation re-listed the value: one new indicator, never two.
      const relisted = new Set(submissions.filter((item) => item?.outcome === 'created').map((item) => (item as { id: string }).id));
      expect(relisted.size).toBeLessThanOrEqual(1);
      const { rows } = await db.query<{ object_id: string }>(`SELECT object_id FROM indicator_keys WHERE kind = 'c2-hostname' AND value = $1`, [value]);
      expect(rows).toEqual([{ object_id: relisted.size === 1 ? [...relisted][0] : id }]);
    }
  });

  test('a purge racing with updates and a transition leaves no version behind', async () => {
    const value = `purge-race.${engine}.example`;
    const id = ((await submit(value, 1)).items[0] as { id: string }).id;
    const operator = who('operator', 'hub-ops', ['operator']);
    await Promise.allSettled([
      submit(value, 2),
      services.indicators.transition(bob, ACME, id, { to: 'revoked' }),
      services.indicators.purge(operator, id, 'shared by mistake'),
      submit(value, 3),
    ]);
    // Whatever order they ran in: after the purge committed nothing of `id` may remain, unless the purge
    // found nothing yet (impossible: the indicator existed before) — so no version remains.
    expect(await versionsOf(id)).toEqual([]);
  });

  test("a purge takes the hub's keys of its indicator's relationships with it: the same value submitted again is linked to its campaign anew", async () => {
    const value = `purge-keys.${engine}.example`;
    const operator = who('operator', 'hub-ops', ['operator']);
    const share = () => services.submissions.submit(bob, { collection: ACME, valid_from: '2026-11-01T00:00:00Z', campaign: 'Operation Purge Keys', indicators: [{ kind: 'c2-hostname', value }] });
    const first = ((await share()).items[0] as { id: string }).id;
    const keysOf = async (id: string) => (await db.query<{ key: string }>(`SELECT key FROM hub_object_keys WHERE key LIKE 'relationship:' || $1 || ':%'`, [id])).rows.map((r) => r.key);
    expect(await keysOf(first)).toHaveLength(1);
    await services.indicators.purge(operator, first, 'shared by mistake');
    expect(await keysOf(first)).toEqual([]);
    const again = ((await share()).items[0] as { id: string }).id;
    expect(again).not.toBe(first);
    const links = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM stix_objects WHERE collection_id = $1 AND type = 'relationship' AND object->>'source_ref' = $2 AND object->>'relationship_type' = 'indicates'`,
      [ACME, again],
    );
    expect(Number(links.rows[0]?.n)).toBe(1);
  });
});
