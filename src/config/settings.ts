import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FieldProblem } from '../domain/errors';
import { defaultConfigPath } from './hub-config-path';

/**
 * Process settings: where to listen, which database, where the declarative config lives, logging
 * and HTTP limits. Each comes from an environment variable and may be overridden by a `serve` flag.
 * The hub's tenancy (organizations, trust groups, collections) is not here: that is the hub config
 * file named by HUB_CONFIG.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Express's `trust proxy` setting: off, on, a hop count, or a list of addresses/subnets/names. */
export type TrustProxy = boolean | number | string;

export interface Settings {
  readonly port: number;
  readonly host: string;
  /** A PostgreSQL server; undefined selects the embedded PGlite store in `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly configPath: string;
  readonly logLevel: LogLevel;
  /** Largest admin API JSON body, in bytes. */
  readonly bodyLimitBytes: number;
  /** Largest unified submission (the hub API's POST /api/submissions), in bytes. */
  readonly submissionLimitBytes: number;
  readonly trustProxy: TrustProxy;
  /** The URL clients use to reach the hub (behind a proxy); only used in log lines for now. */
  readonly publicUrl: string | undefined;
  /**
   * Processes serving HTTP (`serve`): more than one runs a primary that forks this many workers
   * sharing the port. One per core on PostgreSQL, exactly one on the embedded store.
   */
  readonly workers: number;
  /** Live streams (GET /api/collections/{collection}/stream) open at once per API key, or per user with a password. */
  readonly streamsPerKey: number;
  /** Live streams open at once in one hub process. */
  readonly streamsMax: number;
  /** Seconds between the heartbeat comments of a live stream. */
  readonly streamHeartbeatSeconds: number;
}

export type SettingKey = keyof Settings;

export interface SettingDefinition {
  readonly key: SettingKey;
  readonly env: string;
  /** The `serve` flag, without leading dashes; undefined when the setting is environment-only. */
  readonly flag: string | undefined;
  readonly argName: string;
  readonly description: string;
  /** The default as shown in `--help`. */
  readonly defaultText: string;
}

/**
 * The package root: two levels above this file both in src/config (tests) and dist/config (built).
 * The embedded store defaults to `<package root>/data` so that `serve` and the admin CLI find the same
 * data whatever directory they are started from.
 */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_DATA_DIR = path.join(PACKAGE_ROOT, 'data');

/** More workers than this is a typo, not a deployment (each one holds its own database connections). */
export const MAX_WORKERS = 256;

export const SETTING_DEFINITIONS: readonly SettingDefinition[] = [
  { key: 'port', env: 'PORT', flag: 'port', argName: 'port', description: 'TCP port to listen on (0 picks a free port)', defaultText: '8080' },
  {
    key: 'host',
    env: 'HOST',
    flag: 'host',
    argName: 'address',
    // Loopback by default so a hub started on a workstation is not reachable from the network by
    // accident; the container image sets HOST=0.0.0.0.
    description: 'address to listen on; use 0.0.0.0 to accept connections from other machines',
    defaultText: '127.0.0.1',
  },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    flag: 'database-url',
    argName: 'url',
    description: 'PostgreSQL server URL (postgres://user:password@host:5432/db); unset uses the embedded store',
    defaultText: 'unset (embedded PGlite)',
  },
  { key: 'dataDir', env: 'HUB_DATA_DIR', flag: 'data-dir', argName: 'dir', description: 'directory of the embedded store (ignored with a database URL)', defaultText: '<package>/data' },
  { key: 'configPath', env: 'HUB_CONFIG', flag: 'config', argName: 'path', description: 'declarative hub config (file or directory)', defaultText: '<package>/collections' },
  { key: 'logLevel', env: 'LOG_LEVEL', flag: 'log-level', argName: 'level', description: `log level (${LOG_LEVELS.join(', ')})`, defaultText: 'info' },
  { key: 'bodyLimitBytes', env: 'BODY_LIMIT', flag: 'body-limit', argName: 'size', description: 'largest admin API request body (bytes, or e.g. 512kb, 1mb)', defaultText: '1mb' },
  { key: 'submissionLimitBytes', env: 'SUBMISSION_LIMIT', flag: 'submission-limit', argName: 'size', description: 'largest unified submission or TAXII 1.1 message body (bytes, or e.g. 16mb)', defaultText: '16mb' },
  {
    key: 'trustProxy',
    env: 'TRUST_PROXY',
    flag: 'trust-proxy',
    argName: 'value',
    description: 'trust X-Forwarded-* from: false, true, a hop count, or addresses/subnets (comma-separated)',
    defaultText: 'false',
  },
  { key: 'publicUrl', env: 'HUB_PUBLIC_URL', flag: undefined, argName: 'url', description: 'URL clients use to reach the hub (log lines; the addresses TAXII 1.1 advertises)', defaultText: 'unset' },
  {
    key: 'workers',
    env: 'WORKERS',
    flag: 'workers',
    argName: 'n',
    description: `processes serving HTTP on the one port (1-${MAX_WORKERS}); more than one needs PostgreSQL`,
    defaultText: 'one per core with a database URL, 1 on the embedded store',
  },
  { key: 'streamsPerKey', env: 'STREAMS_PER_KEY', flag: undefined, argName: 'n', description: 'live streams open at once per API key (or per user with a password); one more is a 429', defaultText: '5' },
  { key: 'streamsMax', env: 'STREAMS_MAX', flag: undefined, argName: 'n', description: 'live streams open at once in one hub process', defaultText: '1000' },
  { key: 'streamHeartbeatSeconds', env: 'STREAM_HEARTBEAT', flag: undefined, argName: 'seconds', description: 'seconds between the heartbeat comments of a live stream (1-3600)', defaultText: '15' },
];

/** Raw string values by setting key, e.g. from command-line flags. */
export type SettingOverrides = Partial<Record<SettingKey, string>>;

export type SettingsResult = { readonly ok: true; readonly settings: Settings } | { readonly ok: false; readonly errors: readonly FieldProblem[] };

/** Reads settings from the environment, then applies overrides (flags win over the environment). */
export function loadSettings(env: NodeJS.ProcessEnv, overrides: SettingOverrides = {}, cwd = process.cwd()): SettingsResult {
  const raw = (key: SettingKey): { value: string; source: string } | undefined => {
    const def = SETTING_DEFINITIONS.find((d) => d.key === key);
    if (!def) return undefined;
    const flagValue = overrides[key];
    if (flagValue !== undefined) return { value: flagValue, source: def.flag ? `--${def.flag}` : def.env };
    const envValue = env[def.env];
    if (envValue !== undefined && envValue !== '') return { value: envValue, source: def.env };
    return undefined;
  };
  const errors: FieldProblem[] = [];
  const parse = <T>(key: SettingKey, fallback: T, parser: (value: string) => T | { error: string }): T => {
    const given = raw(key);
    if (!given) return fallback;
    const parsed = parser(given.value.trim());
    if (isParseError(parsed)) {
      errors.push({ path: given.source, message: parsed.error });
      return fallback;
    }
    return parsed;
  };

  const read = {
    port: parse('port', 8080, parsePort),
    host: parse('host', '127.0.0.1', parseHost),
    databaseUrl: parse<string | undefined>('databaseUrl', undefined, parseDatabaseUrl),
    dataDir: parse('dataDir', DEFAULT_DATA_DIR, (v) => path.resolve(cwd, v)),
    configPath: parse('configPath', defaultConfigPath(env), (v) => path.resolve(cwd, v)),
    logLevel: parse<LogLevel>('logLevel', 'info', parseLogLevel),
    bodyLimitBytes: parse('bodyLimitBytes', 1024 * 1024, parseByteSize),
    submissionLimitBytes: parse('submissionLimitBytes', 16 * 1024 * 1024, parseByteSize),
    trustProxy: parse<TrustProxy>('trustProxy', false, parseTrustProxy),
    publicUrl: parse<string | undefined>('publicUrl', undefined, parsePublicUrl),
    streamsPerKey: parse('streamsPerKey', 5, (v) => parseCount(v, 1, 10_000)),
    streamsMax: parse('streamsMax', 1_000, (v) => parseCount(v, 1, 1_000_000)),
    streamHeartbeatSeconds: parse('streamHeartbeatSeconds', 15, (v) => parseCount(v, 1, 3_600)),
  };
  const settings: Settings = {
    ...read,
    // A DATABASE_URL given but invalid is reported as such; it does not also make workers an error.
    workers: parse('workers', read.databaseUrl === undefined ? 1 : os.availableParallelism(), (v) => parseWorkers(v, raw('databaseUrl') !== undefined)),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings: Object.freeze(settings) };
}

function isParseError(value: unknown): value is { error: string } {
  return typeof value === 'object' && value !== null && 'error' in value && typeof (value as { error: unknown }).error === 'string';
}

export function parsePort(value: string): number | { error: string } {
  if (!/^\d+$/.test(value)) return { error: `"${value}" is not a port number (0-65535)` };
  const port = Number(value);
  return port <= 65535 ? port : { error: `${port} is out of range (0-65535)` };
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function parseHost(value: string): string | { error: string } {
  const unbracketed = value.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(unbracketed) !== 0 || HOSTNAME.test(value)) return unbracketed;
  return { error: `"${value}" is not an IP address or host name` };
}

function parseDatabaseUrl(value: string): string | { error: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { error: 'is not a URL (expected postgres://user:password@host:5432/database)' };
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return { error: `must be a postgres:// or postgresql:// URL, not ${url.protocol}//` };
  }
  return value;
}

/** A count of workers; more than one only with a PostgreSQL server. */
function parseWorkers(value: string, onPostgres: boolean): number | { error: string } {
  if (!/^\d+$/.test(value)) return { error: `"${value}" is not a number of workers (1-${MAX_WORKERS})` };
  const workers = Number(value);
  if (workers < 1 || workers > MAX_WORKERS) return { error: `${workers} is out of range (1-${MAX_WORKERS})` };
  return workers > 1 && !onPostgres ? { error: workersNeedPostgres(workers) } : workers;
}

/** Why several workers cannot share the embedded store, and what to do instead. */
function workersNeedPostgres(workers: number): string {
  return (
    `${workers} workers need a PostgreSQL server: the embedded store (PGlite) can be opened by only one process at a time ` +
    '(its data directory is locked while a hub runs). Set DATABASE_URL (or --database-url) to run several workers, or use 1 worker.'
  );
}

function parseLogLevel(value: string): LogLevel | { error: string } {
  const level = value.toLowerCase();
  const known = LOG_LEVELS.find((l) => l === level);
  return known ?? { error: `"${value}" is not a log level (${LOG_LEVELS.join(', ')})` };
}

const SIZE_UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** "1048576", "512kb", "10mb", "1.5mb" (units are binary: 1kb = 1024 bytes, as in express). */
export function parseByteSize(value: string): number | { error: string } {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(value);
  const unit = SIZE_UNITS[(match?.[2] ?? 'b').toLowerCase()];
  if (!match?.[1] || unit === undefined) return { error: `"${value}" is not a size (e.g. 1048576, 512kb, 10mb)` };
  const bytes = Math.floor(Number(match[1]) * unit);
  return bytes >= 1 ? bytes : { error: 'must be at least 1 byte' };
}

const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function parseTrustProxy(value: string): TrustProxy | { error: string } {
  const lower = value.toLowerCase();
  if (lower === 'false' || lower === 'off' || lower === 'no') return false;
  if (lower === 'true' || lower === 'on' || lower === 'yes') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.filter((entry) => !TRUST_PROXY_NAMES.has(entry.toLowerCase()) && !isAddressOrSubnet(entry));
  if (bad.length > 0) {
    return { error: `"${bad.join(', ')}" is not false, true, a hop count, an IP address, a subnet or one of loopback, linklocal, uniquelocal` };
  }
  return entries.join(',');
}

function isAddressOrSubnet(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = net.isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d+$/.test(prefix)) return net.isIP(prefix) === 4 && family === 4; // dotted netmask
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** A whole number from `min` to `max`. */
function parseCount(value: string, min: number, max: number): number | { error: string } {
  if (!/^\d+$/.test(value)) return { error: `"${value}" is not a whole number (${min}-${max})` };
  const count = Number(value);
  return count >= min && count <= max ? count : { error: `${count} is out of range (${min}-${max})` };
}

function parsePublicUrl(value: string): string | { error: string } {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  return { error: `"${value}" is not an http:// or https:// URL` };
}

/** The database URL without its password, for messages and logs. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    url.password = '';
    url.search = ''; // query parameters may carry a password or sslkey paths
    return url.toString();
  } catch {
    return 'the configured PostgreSQL server';
  }
}
