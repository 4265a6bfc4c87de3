import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Client, Pool } from 'pg';
import { PoolDatabase, type Database, type EngineName } from '../../src/storage/sql/database';
import { migrate } from '../../src/storage/sql/migrate';
import { MIGRATIONS } from '../../src/storage/sql/migrations';
import { pgliteStartParams } from '../../src/storage/sql/pglite-engine';
import { openPostgres } from '../../src/storage/sql/postgres-engine';
import { createScratchDatabase, databaseUrl, type ScratchDatabase, type ScratchDatabaseOptions } from '../../src/storage/sql/scratch-database';

/**
 * Test databases start from a migrated copy, not from scratch: migrating is cheap, but a fresh PGlite
 * runs initdb (seconds of CPU), and a test run opens a few hundred databases. So the first test file
 * that needs one migrates a database once per migration set and keeps it:
 * - PGlite: a tarball of the migrated data directory in the system temp directory, which every
 *   later open loads (`loadDataDir`) instead of running initdb;
 * - PostgreSQL: a template database on the test server, which every later open copies
 *   (`CREATE DATABASE ... TEMPLATE`).
 * Both are named by a hash of every migration's version, name and SQL, so adding or editing a
 * migration makes a new one and a stale copy is never used.
 */

/**
 * The engines a contract suite runs against: PGlite always; PostgreSQL whenever TEST_DATABASE_URL is
 * set (.ci/run always sets it). Use as `describe.each(testEngines())('... on %s', (engine) => ...)`.
 */
export function testEngines(): EngineName[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * A fresh, migrated, empty database on the given engine. For PostgreSQL a new database is created on
 * the server named by TEST_DATABASE_URL and dropped again when the returned database is closed.
 */
export async function openTestDatabase(engine: EngineName): Promise<Database> {
  if (engine === 'pglite') {
    return pgliteDatabase(await openPgliteClone());
  }
  const baseUrl = testDatabaseUrl();
  const scratch = await createTestScratchDatabase(baseUrl, { template: await migratedPostgresTemplate(baseUrl) });
  const db = await openPostgres({ connectionString: scratch.url, maxConnections: 12 });
  const close = db.close.bind(db);
  return Object.assign(db, {
    close: async () => {
      await close();
      await scratch.drop();
    },
  });
}

/**
 * Makes `dataDir` hold a migrated, empty embedded store, as a hub that has run there before leaves
 * it: openPglite/openDatabase on it then open that store instead of creating one (creating a cluster
 * costs seconds: initdb in a child process). For tests about what a command or a hub does with a
 * store, not about how a new store comes to be. Returns `dataDir`.
 */
export async function seedPgliteDataDir(dataDir: string): Promise<string> {
  extractTarball(new Uint8Array(await migratedPgliteSnapshot()), path.join(dataDir, 'pgdata'));
  return dataDir;
}

/** A URL for a fresh, empty PostgreSQL database (not migrated) and a function that drops it. */
export async function createPostgresTestDatabaseUrl(): Promise<ScratchDatabase> {
  return createTestScratchDatabase(testDatabaseUrl());
}

/** A URL for a fresh, migrated, empty PostgreSQL database and a function that drops it. */
export async function createMigratedPostgresTestDatabaseUrl(): Promise<ScratchDatabase> {
  const baseUrl = testDatabaseUrl();
  return createTestScratchDatabase(baseUrl, { template: await migratedPostgresTemplate(baseUrl) });
}

/**
 * A scratch database whose sessions commit without waiting for the server to flush the commit to
 * disk (synchronous_commit = off, set on the database, so every connection to it gets it: the
 * tests' own, a hub's pool, a child process's). A commit is as visible and as atomic as before;
 * only a crash of the PostgreSQL server itself could lose the last few, and no test crashes the
 * server (tests that kill a hub kill the hub's process). A test run commits tens of thousands of
 * times, and each synchronous commit waited some 2 ms for an fsync on the test machine.
 */
async function createTestScratchDatabase(baseUrl: string, options: ScratchDatabaseOptions = {}): Promise<ScratchDatabase> {
  const scratch = await createScratchDatabase(baseUrl, 'hub_test', options);
  const name = decodeURIComponent(new URL(scratch.url).pathname.slice(1));
  const client = new Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(`ALTER DATABASE "${name.replace(/"/g, '""')}" SET synchronous_commit = off`);
  } catch (error) {
    await scratch.drop().catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
  return scratch;
}

/** Names the migration set: any added or changed migration gives a new name. */
export function migrationSetId(): string {
  const hash = createHash('sha256');
  for (const migration of MIGRATIONS) hash.update(JSON.stringify([migration.version, migration.name, migration.sql]));
  return hash.digest('hex').slice(0, 16);
}

function testDatabaseUrl(): string {
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set');
  return baseUrl;
}

// ---- PGlite: a migrated data directory as a tarball ---------------------------------------------

/** What openPglite makes of an in-memory PGlite (with its start parameters, pgliteStartParams). */
function pgliteDatabase(lite: PGlite): Database {
  return new PoolDatabase('pglite', new Pool(createPgConfig(lite)), async () => {
    await lite.close();
  });
}

const SNAPSHOT_DIR = path.join(os.tmpdir(), 'taxii-hub-test-databases');
/** Unused snapshots (of earlier migration sets or PGlite versions) are deleted after this long. */
const SNAPSHOT_MAX_IDLE_MS = 24 * 3_600_000;

/**
 * What every test file of a jest worker process shares: the snapshot's bytes (40 MB, read once, not
 * once per file) and PGlite's file-system bundle (6 MB, read once, not once per open). jest gives
 * each test file a module registry and a JavaScript realm of its own, so they are kept on an object
 * every file of the worker sees, a Node built-in module, and only as Buffers that Node itself made
 * (fs.readFileSync): an object made in a test file's realm would keep that whole realm alive. They
 * are never written to. (PGlite compiles its WebAssembly once per test file itself.)
 */
function workerShared(name: string, read: () => Buffer): ArrayBuffer {
  const holder = os as unknown as Record<symbol, Buffer | undefined>;
  const key = Symbol.for(`taxii-hub.test-databases:${name}`);
  holder[key] ??= read();
  return wholeArrayBuffer(holder[key]);
}

/** A new in-memory PGlite holding the migrated snapshot. */
async function openPgliteClone(): Promise<PGlite> {
  const lite = new PGlite({
    loadDataDir: bytesBlob(await migratedPgliteSnapshot(), 'application/x-tar'),
    fsBundle: bytesBlob(pgliteFsBundle(), 'application/octet-stream'),
    startParams: pgliteStartParams(),
  });
  await lite.waitReady;
  return lite;
}

/** The files PGlite's PostgreSQL needs besides a data directory (what PGlite reads from pglite.data). */
function pgliteFsBundle(): ArrayBuffer {
  const file = path.join(path.dirname(require.resolve('@electric-sql/pglite')), 'pglite.data');
  return workerShared(file, () => fs.readFileSync(file));
}

let snapshot: Promise<ArrayBuffer> | undefined;
/** Changes whenever loadOrBuildPgliteSnapshot makes its snapshot differently. */
const SNAPSHOT_FORMAT = 'small1';

/** The migrated data directory as a tarball, built by the first test file of a run that needs it. */
function migratedPgliteSnapshot(): Promise<ArrayBuffer> {
  snapshot ??= loadOrBuildPgliteSnapshot(path.join(SNAPSHOT_DIR, `pglite-${pgliteVersion()}-${migrationSetId()}-${SNAPSHOT_FORMAT}.tar`));
  return snapshot;
}

async function loadOrBuildPgliteSnapshot(file: string): Promise<ArrayBuffer> {
  try {
    const bytes = workerShared(file, () => fs.readFileSync(file));
    fs.promises.utimes(file, new Date(), new Date()).catch(() => {}); // marks it used (see SNAPSHOT_MAX_IDLE_MS)
    return bytes;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // Every open copies the whole data directory into PGlite's memory file system, so it is kept
  // small: WAL segments of 1 MB instead of 16 (initdb --wal-segsize), and no template0 or template1
  // (the hub creates no databases); that leaves 15 MB in some 400 files instead of 41 MB in 1,100.
  const lite = new PGlite({ startParams: pgliteStartParams(), initDbStartParams: ['--wal-segsize=1'] });
  await lite.waitReady;
  const db = pgliteDatabase(lite);
  let bytes: ArrayBuffer;
  try {
    await migrate(db);
    await lite.exec("UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')");
    await lite.exec('DROP DATABASE template0');
    await lite.exec('DROP DATABASE template1');
    await lite.exec('CHECKPOINT'); // a clone then starts without replaying the migrations' WAL
    bytes = await (await lite.dumpDataDir('none')).arrayBuffer();
  } finally {
    await db.close();
  }
  // Several jest workers may build it at once: each writes its own file and renames it into place
  // (atomic), so a reader sees a whole snapshot or none.
  fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  fs.writeFileSync(partial, new Uint8Array(bytes));
  fs.renameSync(partial, file);
  removeIdleSnapshots(file);
  return workerShared(file, () => fs.readFileSync(file));
}

/** The bytes of a buffer as an ArrayBuffer of their own (without a copy when they already are one). */
function wholeArrayBuffer(buffer: Buffer): ArrayBuffer {
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength) return buffer.buffer as ArrayBuffer;
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
}

/**
 * PGlite reads `loadDataDir` and `fsBundle` with arrayBuffer() and nothing else (and only reads what
 * it gets). A real Blob would copy 40 MB in and out on every open; this hands out the shared bytes.
 */
function bytesBlob(bytes: ArrayBuffer, type: string): Blob {
  const blob = { type, size: bytes.byteLength, arrayBuffer: () => Promise.resolve(bytes) };
  return blob as unknown as Blob;
}

/**
 * Writes out the files and directories of a ustar tarball (as PGlite's dumpDataDir makes them) under
 * `into`, except the lock file of the instance that was dumped (a store a hub closed has none).
 */
function extractTarball(tar: Uint8Array, into: string): void {
  const text = (start: number, length: number): string => {
    const field = tar.subarray(start, start + length);
    const end = field.indexOf(0);
    return Buffer.from(end === -1 ? field : field.subarray(0, end)).toString('utf8');
  };
  fs.mkdirSync(into, { recursive: true });
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const name = text(offset, 100);
    if (name === '') break; // the zero blocks that end the archive
    const prefix = text(offset + 345, 155);
    const size = parseInt(text(offset + 124, 12).trim() || '0', 8);
    const type = text(offset + 156, 1);
    const relative = prefix === '' ? name : `${prefix}/${name}`;
    const target = path.join(into, relative);
    if (!target.startsWith(into + path.sep)) throw new Error(`tarball entry outside the target: ${relative}`);
    offset += 512;
    if (type === '5') fs.mkdirSync(target, { recursive: true });
    else if ((type === '0' || type === '') && path.basename(target) !== 'postmaster.pid') {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, tar.subarray(offset, offset + size));
    }
    offset += Math.ceil(size / 512) * 512;
  }
}

function removeIdleSnapshots(keep: string): void {
  for (const name of fs.readdirSync(SNAPSHOT_DIR)) {
    const file = path.join(SNAPSHOT_DIR, name);
    if (file === keep) continue;
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > SNAPSHOT_MAX_IDLE_MS) fs.rmSync(file, { force: true });
    } catch {
      // another run removed it first
    }
  }
}

function pgliteVersion(): string {
  const entry = require.resolve('@electric-sql/pglite');
  let dir = path.dirname(entry);
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

// ---- PostgreSQL: a migrated template database -----------------------------------------------------

/** Advisory lock class (the first of two int keys) held while a template is built. */
const TEMPLATE_LOCK_CLASS = 727_274_812;

let template: Promise<string> | undefined;

function migratedPostgresTemplate(baseUrl: string): Promise<string> {
  template ??= findOrBuildPostgresTemplate(baseUrl);
  return template;
}

/**
 * The migrated template for this migration set, built by whichever process gets there first.
 * Builders serialise on an advisory lock; the template is migrated under a temporary name and
 * renamed when complete, so its name never denotes a half-migrated database (even if a builder dies).
 */
async function findOrBuildPostgresTemplate(baseUrl: string): Promise<string> {
  const setId = migrationSetId();
  const name = `hub_template_${setId}`;
  const client = new Client({ connectionString: baseUrl });
  await client.connect();
  try {
    const exists = async () => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rows.length > 0;
    if (await exists()) return name;
    const lockKey = parseInt(setId.slice(0, 8), 16) | 0;
    await client.query('SELECT pg_advisory_lock($1, $2)', [TEMPLATE_LOCK_CLASS, lockKey]);
    try {
      if (await exists()) return name;
      const leftovers = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${name}\\_build\\_%`]);
      for (const { datname } of leftovers.rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      const building = `${name}_build_${randomBytes(6).toString('hex')}`;
      await client.query(`CREATE DATABASE "${building}"`);
      try {
        const db = await openPostgres({ connectionString: databaseUrl(baseUrl, building), maxConnections: 1 });
        try {
          await migrate(db);
        } finally {
          await db.close();
        }
        await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      } catch (error) {
        await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`).catch(() => {});
        throw error;
      }
      return name;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [TEMPLATE_LOCK_CLASS, lockKey]);
    }
  } finally {
    await client.end();
  }
}
