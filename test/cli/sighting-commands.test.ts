import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/http/ops/logging';
import { createSharingServices } from '../../src/hub-composition';
import { migrate } from '../../src/storage/sql/migrate';
import { openPglite } from '../../src/storage/sql/pglite-engine';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import { REPORT_MESSAGES } from '../../src/services/sightings/sighting-service';
import { cli } from '../support/cli-run';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../support/demo-config';
import { seedPgliteDataDir } from '../support/test-databases';
import { runningHubForCli } from '../support/running-hub-cli';

/**
 * `taxii-hub sighting add|show` and `taxii-hub indicator false-positive` against a running hub (demo
 * configuration): alice (acme-hq) provides, bob (acme-east) reports. Credentials from HUB_USER / HUB_PASSWORD.
 */

const { remote, as } = runningHubForCli('hub-cli-sighting-');

async function aliceSubmits(value: string): Promise<string> {
  const response = await fetch(`${remote[1] as string}/api/submissions`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from('alice:alice-demo-pw').toString('base64')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ collection: DEMO_COLLECTIONS.acmeInternal, valid_from: '2026-11-01T00:00:00Z', indicators: [{ kind: 'c2-hostname', value }] }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { indicators: { id: string }[] }).indicators[0]?.id as string;
}

test('bob reports a sighting and a false positive; alice reads both with acme-east named', async () => {
  const id = await aliceSubmits('relay.cli-sighting.example');
  as('bob');
  const added = await cli(['sighting', 'add', 'acme-internal', id, '--count', '4', '--first-seen', '2026-12-01T08:00:00Z', '--last-seen', '2026-12-01T10:00:00Z', '--json', ...remote]);
  expect(added).toMatchObject({ code: 0, err: '' });
  expect(JSON.parse(added.out).sightings).toEqual([{ index: 0, id: expect.stringMatching(/^sighting--/), indicator: id, marking: 'amber' }]);
  const fp = await cli(['indicator', 'false-positive', 'acme-internal', id, '--explanation', 'our own smart host', '--marking', 'amber+strict', ...remote]);
  expect(fp.code).toBe(0);
  expect(fp.out).toMatch(/^id: opinion--/m);
  expect(fp.out).toMatch(/^marking: amber\+strict$/m);

  as('alice');
  const shown = JSON.parse((await cli(['sighting', 'show', 'acme-internal', id, '--json', ...remote])).out) as { sightings: Record<string, unknown> };
  expect(shown.sightings).toMatchObject({
    count: 4, reports: 1, organizations: 1, false_positives: 1, first_seen: '2026-12-01T08:00:00.000000Z', last_seen: '2026-12-01T10:00:00.000000Z',
    by_organization: [{ organization: 'acme-east', count: 4, reports: 1, false_positives: 1 }],
  });
  const listed = JSON.parse((await cli(['indicator', 'history', DEMO_COLLECTIONS.acmeInternal, id, '--json', ...remote])).out) as { sightings: { count: number } };
  expect(listed.sightings.count).toBe(4);
});

test('bad options are refused with the field named; an explanation is required; carol may not report what she cannot read', async () => {
  const id = await aliceSubmits('relay2.cli-sighting.example');
  as('bob');
  const badCount = await cli(['sighting', 'add', 'acme-internal', id, '--count', 'many', ...remote]);
  expect(badCount.code).toBe(1);
  expect(badCount.err).toMatch(/^error \(400\)/);
  expect(badCount.err).toContain('sightings[0].count');
  const backwards = await cli(['sighting', 'add', 'acme-internal', id, '--first-seen', '2026-12-02T00:00:00Z', '--last-seen', '2026-12-01T00:00:00Z', ...remote]);
  expect(backwards.err).toContain('sightings[0].last_seen: must not be earlier than first_seen');
  await expect(cli(['indicator', 'false-positive', 'acme-internal', id, ...remote])).rejects.toThrow("required option '--explanation <text>' not specified");

  as('carol');
  const red = await fetch(`${remote[1] as string}/api/submissions`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from('alice:alice-demo-pw').toString('base64')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ collection: DEMO_COLLECTIONS.acmeInternal, valid_from: '2026-11-01T00:00:00Z', marking: { tlp: 'red', recipients: ['acme-east'] }, indicators: [{ kind: 'c2-hostname', value: 'red.cli-sighting.example' }] }),
  });
  const redId = ((await red.json()) as { indicators: { id: string }[] }).indicators[0]?.id as string;
  const refused = await cli(['sighting', 'add', 'acme-internal', redId, ...remote]);
  expect(refused.code).toBe(1);
  expect(refused.err).toContain(`sightings[0].indicator: ${REPORT_MESSAGES.notReportable}`);
});

describe('on the embedded store directly (no --url), as the local operator', () => {
  let dir: string;
  let id: string;
  beforeAll(async () => {
    dir = await seedPgliteDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-cli-sighting-local-')));
    const db = await openPglite({ dataDir: dir });
    try {
      await migrate(db);
      const store = createSqlTenancyStore(db);
      await applyDemoConfig(store);
      const { submissions, sightings } = createSharingServices({ db, store, logger: createLogger('silent') });
      const submitted = await submissions.submit(
        { userId: 'u-alice', username: 'alice', organizationId: 'acme-hq', roles: new Set(['provider']), via: 'basic' },
        { collection: DEMO_COLLECTIONS.acmeInternal, valid_from: '2026-11-01T00:00:00Z', indicators: [{ kind: 'url', value: 'https://local.cli-sighting.example/' }] },
      );
      id = (submitted.items[0] as { id: string }).id;
      await sightings.report({ userId: 'u-bob', username: 'bob', organizationId: 'acme-east', roles: new Set(['consumer']), via: 'basic' }, 'acme-internal', { sightings: [{ indicator: id, count: 6 }] });
    } finally {
      await db.close();
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the operator reads the figures with the reporting organization; reporting needs a member organization', async () => {
    as(undefined);
    const shown = await cli(['sighting', 'show', 'acme-internal', id, '--json', '--data-dir', dir]);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out).sightings).toMatchObject({ count: 6, by_organization: [{ organization: 'acme-east', count: 6 }] });
    const refused = await cli(['sighting', 'add', 'acme-internal', id, '--data-dir', dir]);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(`error (403): ${REPORT_MESSAGES.noOrganization}`);
  });
});
