import os from 'node:os';
import path from 'node:path';
import { BUNDLED_CONFIG_PATH } from '../../src/config/hub-config-path';
import { DEFAULT_DATA_DIR, describeDatabaseUrl, loadSettings, parseByteSize, type Settings } from '../../src/config/settings';

function settingsFrom(env: NodeJS.ProcessEnv, flags = {}): Settings {
  const result = loadSettings(env, flags, '/srv/hub');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.settings;
}

describe('process settings', () => {
  test('with nothing set, the hub listens on loopback port 8080 with the embedded store and the bundled config', () => {
    expect(settingsFrom({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: DEFAULT_DATA_DIR,
      configPath: BUNDLED_CONFIG_PATH,
      logLevel: 'info',
      bodyLimitBytes: 1024 * 1024,
      submissionLimitBytes: 16 * 1024 * 1024,
      trustProxy: false,
      publicUrl: undefined,
      workers: 1,
      streamsPerKey: 5,
      streamsMax: 1000,
      streamHeartbeatSeconds: 15,
    });
  });

  test('environment variables set every setting; relative paths resolve against the working directory', () => {
    const settings = settingsFrom({
      PORT: '9000',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://hub:secret@db:5432/hub',
      HUB_DATA_DIR: 'var/data',
      HUB_CONFIG: 'etc/hub.yaml',
      LOG_LEVEL: 'DEBUG',
      BODY_LIMIT: '512kb',
      SUBMISSION_LIMIT: '32mb',
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
      HUB_PUBLIC_URL: 'https://hub.example.org/',
      WORKERS: '3',
      STREAMS_PER_KEY: '10',
      STREAMS_MAX: '5000',
      STREAM_HEARTBEAT: '30',
    });
    expect(settings).toEqual({
      port: 9000,
      host: '0.0.0.0',
      databaseUrl: 'postgres://hub:secret@db:5432/hub',
      dataDir: path.resolve('/srv/hub', 'var/data'),
      configPath: path.resolve('/srv/hub', 'etc/hub.yaml'),
      logLevel: 'debug',
      bodyLimitBytes: 512 * 1024,
      submissionLimitBytes: 32 * 1024 * 1024,
      trustProxy: 'loopback,10.0.0.0/8',
      publicUrl: 'https://hub.example.org',
      workers: 3,
      streamsPerKey: 10,
      streamsMax: 5000,
      streamHeartbeatSeconds: 30,
    });
  });

  test('flags win over the environment', () => {
    const settings = settingsFrom({ PORT: '9000', LOG_LEVEL: 'warn' }, { port: '7000', logLevel: 'error', trustProxy: '2' });
    expect(settings).toMatchObject({ port: 7000, logLevel: 'error', trustProxy: 2 });
  });

  test('an empty environment variable counts as unset', () => {
    expect(settingsFrom({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 8080 });
  });

  test('every invalid value is reported at once, named by where it came from', () => {
    const result = loadSettings(
      { PORT: '70000', HOST: 'not a host', DATABASE_URL: 'mysql://x@y/z', LOG_LEVEL: 'loud', BODY_LIMIT: 'lots', TRUST_PROXY: '10.0.0.0/99' },
      { port: 'eighty' },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual(['--port', 'HOST', 'DATABASE_URL', 'LOG_LEVEL', 'BODY_LIMIT', 'TRUST_PROXY']);
    expect(result.errors[0]?.message).toBe('"eighty" is not a port number (0-65535)');
    expect(result.errors[2]?.message).toMatch(/postgres:\/\//);
  });

  test('live-stream caps and heartbeat are whole numbers in range', () => {
    const result = loadSettings({ STREAMS_PER_KEY: '0', STREAMS_MAX: 'many', STREAM_HEARTBEAT: '3601' });
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: 'STREAMS_PER_KEY', message: '0 is out of range (1-10000)' },
        { path: 'STREAMS_MAX', message: '"many" is not a whole number (1-1000000)' },
        { path: 'STREAM_HEARTBEAT', message: '3601 is out of range (1-3600)' },
      ],
    });
  });

  test('a port out of range is refused', () => {
    const result = loadSettings({ PORT: '65536' });
    expect(result).toEqual({ ok: false, errors: [{ path: 'PORT', message: '65536 is out of range (0-65535)' }] });
  });

  test.each([
    ['1048576', 1048576],
    ['10mb', 10 * 1024 * 1024],
    ['1.5kb', 1536],
    ['2GB', 2 * 1024 ** 3],
  ])('body limit %p is %p bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  test('workers: one per core on PostgreSQL, one on the embedded store, unless set', () => {
    expect(settingsFrom({ DATABASE_URL: 'postgres://hub@db/hub' }).workers).toBe(os.availableParallelism());
    expect(settingsFrom({}).workers).toBe(1);
    expect(settingsFrom({ DATABASE_URL: 'postgres://hub@db/hub', WORKERS: '8' }, { workers: '2' }).workers).toBe(2);
    expect(settingsFrom({ WORKERS: '1' }).workers).toBe(1);
  });

  test('more than one worker on the embedded store is refused, saying why and what to do', () => {
    const result = loadSettings({ WORKERS: '4' });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: 'WORKERS',
          message:
            '4 workers need a PostgreSQL server: the embedded store (PGlite) can be opened by only one process at a time ' +
            '(its data directory is locked while a hub runs). Set DATABASE_URL (or --database-url) to run several workers, or use 1 worker.',
        },
      ],
    });
  });

  test.each([
    ['0', '0 is out of range (1-256)'],
    ['257', '257 is out of range (1-256)'],
    ['two', '"two" is not a number of workers (1-256)'],
  ])('workers %p is refused', (value, message) => {
    expect(loadSettings({ DATABASE_URL: 'postgres://hub@db/hub' }, { workers: value })).toEqual({ ok: false, errors: [{ path: '--workers', message }] });
  });

  test('an invalid database URL is reported once, not also as workers without PostgreSQL', () => {
    const result = loadSettings({ DATABASE_URL: 'mysql://x@y/z', WORKERS: '2' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual(['DATABASE_URL']);
  });

  test('a database URL is described without its password', () => {
    expect(describeDatabaseUrl('postgres://hub:s3cret@db.example:5432/hub?sslmode=require')).toBe('postgres://hub@db.example:5432/hub');
  });
});
