import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseSettings } from '../../src/storage/sql/open-database';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import { importCli, writeJson } from '../support/import-cli';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../support/demo-config';
import { indicator } from '../support/stix-fixtures';
import { createPostgresTestDatabaseUrl, seedPgliteDataDir, testEngines } from '../support/test-databases';

const collection = DEMO_COLLECTIONS.acmeInternal;

describe.each(testEngines())('taxii-hub import on the %s store', (engine) => {
  let target: string[];
  let settings: DatabaseSettings;
  let cleanup: () => Promise<void>;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-import-'));
  const input = path.join(scratch, 'in');

  const first = indicator({ modified: '2026-01-01T00:00:00.000Z' }); // its first version
  const second = indicator(); // modified later than created: a later version
  const broken = indicator({ pattern: '[ipv4-addr:value = ]' });
  const enveloped = indicator({ modified: '2026-01-01T00:00:00.000Z', pattern: "[domain-name:value = 'c2.example.net']" });
  const files = {
    bundle: path.join(input, 'a-bundle.json'),
    submission: path.join(input, 'b-submission.json'),
    invalid: path.join(input, 'c-invalid.json'),
    envelope: path.join(input, 'nested', 'd-envelope.json'),
  };

  async function storedIds(): Promise<string[]> {
    const db = await openDatabase(settings);
    try {
      const { rows } = await db.query<{ id: string }>("SELECT DISTINCT id FROM stix_objects WHERE collection_id = $1 AND type = 'indicator' ORDER BY id", [collection]);
      return rows.map((r) => r.id);
    } finally {
      await db.close();
    }
  }

  beforeAll(async () => {
    if (engine === 'postgres') {
      const scratch = await createPostgresTestDatabaseUrl();
      target = ['--database-url', scratch.url];
      settings = { engine: 'postgres', url: scratch.url };
      cleanup = scratch.drop;
    } else {
      const dir = await seedPgliteDataDir(path.join(scratch, 'db'));
      target = ['--data-dir', dir];
      settings = { engine: 'pglite', dataDir: dir };
      cleanup = async () => {};
    }
    const db = await openDatabase(settings);
    await applyDemoConfig(createSqlTenancyStore(db));
    await db.close();

    writeJson(files.bundle, { type: 'bundle', id: 'bundle--6d1f0a1e-3b0c-4a51-9d51-000000000001', objects: [first, second, broken] });
    writeJson(files.submission, {
      valid_from: '2026-02-01T00:00:00Z',
      indicators: [
        { kind: 'c2-ip', value: '203.0.113.9' },
        { kind: 'file-hash', algorithm: 'SHA-256', value: 'abc' },
      ],
    });
    writeJson(files.invalid, '{ "type": "bundle", "objects": [');
    writeJson(files.envelope, { objects: [enveloped] });
    writeJson(path.join(input, 'notes.txt'), 'not an import file');
  });
  afterAll(async () => {
    await cleanup();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('imports a folder through the HTTP paths\' validation, reports each rejection and sums up', async () => {
    const result = await importCli([input, '--collection', collection, '--as', 'bob', ...target]);
    expect(result.out).toBe('created 3, updated 1, unchanged 0, rejected 2 (4 files, 1 failed)');
    expect(result.code).toBe(1);
    const lines = result.progress.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${files.bundle}: ${broken.id as string}: pattern: `)),
      `imported ${files.bundle}: created 1, updated 1, unchanged 0, rejected 1`,
      expect.stringMatching(new RegExp(`^${files.submission}: indicators\\[1\\]: value: `)),
      `imported ${files.submission}: created 1, updated 0, unchanged 0, rejected 1`,
      expect.stringMatching(new RegExp(`^${files.invalid}: not imported: not valid JSON`)),
      `imported ${files.envelope}: created 1, updated 0, unchanged 0, rejected 0`,
    ]);
    // eslint-disable-next-line no-control-regex
    expect(result.progress).not.toMatch(/[\r\x1b]/);

    const ids = await storedIds();
    expect(ids).toEqual(expect.arrayContaining([first.id, second.id, enveloped.id]));
    expect(ids).not.toContain(broken.id);
    expect(ids).toHaveLength(4); // and the indicator of the submission's c2-ip
  });

  test('versions written in the name of a user record who ran the import', async () => {
    const db = await openDatabase(settings);
    try {
      const { rows } = await db.query<{ written_by: string }>("SELECT written_by FROM stix_objects WHERE collection_id = $1 AND object->>'pattern' LIKE '%203.0.113.9%'", [collection]);
      expect(rows).toEqual([{ written_by: `bob (cli:${os.userInfo().username})` }]);
    } finally {
      await db.close();
    }
  });

  test('importing the same files again changes nothing and says so', async () => {
    const before = await storedIds();
    const again = await importCli([input, '--collection', collection, '--as', 'bob', ...target]);
    expect(again.out).toBe('created 0, updated 0, unchanged 4, rejected 2 (4 files, 1 failed)');
    expect(again.code).toBe(1);
    expect(await storedIds()).toEqual(before);

    const clean = await importCli([path.join(input, 'nested'), '--collection', collection, '--as', 'bob', '--json', ...target]);
    expect(JSON.parse(clean.out)).toEqual({ created: 0, updated: 0, unchanged: 1, rejected: 0, files: 1, failed_files: 0 });
    expect(clean.code).toBe(0);
  });

  test('STIX objects go in batches of --batch-size, with the same outcome', async () => {
    const file = path.join(scratch, 'batch', 'many.json');
    const objects = Array.from({ length: 5 }, (_, i) => indicator({ modified: '2026-01-01T00:00:00.000Z', pattern: `[ipv4-addr:value = '192.0.2.${i + 1}']` }));
    writeJson(file, { type: 'bundle', id: 'bundle--6d1f0a1e-3b0c-4a51-9d51-000000000002', objects });
    const result = await importCli([file, '--collection', collection, '--as', 'bob', '--batch-size', '2', ...target]);
    expect(result.out).toBe('created 5, updated 0, unchanged 0, rejected 0 (1 files, 0 failed)');
    expect(result.code).toBe(0);
    expect(await storedIds()).toEqual(expect.arrayContaining(objects.map((o) => o.id)));
  });

  test('a submission naming another collection fails as a whole and stores nothing', async () => {
    const file = path.join(scratch, 'other', 'other.json');
    writeJson(file, { collection: DEMO_COLLECTIONS.isacFeed, valid_from: '2026-02-01T00:00:00Z', indicators: [{ kind: 'c2-ip', value: '203.0.113.77' }] });
    const before = await storedIds();
    const result = await importCli([file, '--collection', collection, '--as', 'bob', ...target]);
    expect(result.progress).toContain(`${file}: not imported: the submission names collection ${DEMO_COLLECTIONS.isacFeed}, not ${collection}`);
    expect(result.out).toBe('created 0, updated 0, unchanged 0, rejected 0 (1 files, 1 failed)');
    expect(result.code).toBe(1);
    expect(await storedIds()).toEqual(before);
  });

  test('a user without the provider role, an unknown user or collection, or no files: one clear line, exit 1', async () => {
    const carol = await importCli([input, '--collection', collection, '--as', 'carol', ...target]);
    expect(carol.code).toBe(1);
    expect(carol.err).toMatch(/^taxii-hub: carol may not import into collection 948f89cd-d3ab-4b2e-bb60-bdffe702b793: .+$/);
    expect(carol.out).toBe('');

    const nobody = await importCli([input, '--collection', collection, '--as', 'nobody', ...target]);
    expect([nobody.code, nobody.err]).toEqual([1, 'taxii-hub: there is no user "nobody" (--as)']);

    const unknown = await importCli([input, '--collection', '00000000-0000-4000-8000-000000000000', '--as', 'bob', ...target]);
    expect([unknown.code, unknown.err]).toEqual([1, 'taxii-hub: there is no collection 00000000-0000-4000-8000-000000000000 (--collection)']);

    const empty = path.join(scratch, 'empty');
    fs.mkdirSync(empty);
    const none = await importCli([empty, '--collection', collection, '--as', 'bob', ...target]);
    expect([none.code, none.err]).toEqual([1, `taxii-hub: ${empty}: no files ending in .json to import`]);
  });
});
