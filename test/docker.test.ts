import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** Docker cannot run here: these checks read the files the image and the compose stack are built from. */

const ROOT = path.resolve(__dirname, '..');
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  healthcheck?: { test?: unknown };
  depends_on?: Record<string, { condition?: string }>;
  volumes?: string[];
}
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };

/** Dockerfile instructions of the last stage (the image that runs), continuation lines joined. */
function runtimeInstructions(): { keyword: string; args: string }[] {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  const lastFrom = lines.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true);
  return lines.slice(lastFrom).map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
}

describe('Dockerfile', () => {
  const runtime = runtimeInstructions();

  test('builds in one stage and runs from a second stage with production dependencies only', () => {
    expect(dockerfile.match(/^FROM\s/gim)?.length).toBeGreaterThanOrEqual(2);
    expect(runtime.some((i) => i.keyword === 'RUN' && /npm ci\b.*--omit=dev/.test(i.args))).toBe(true);
    expect(runtime.some((i) => i.keyword === 'COPY' && i.args.startsWith('--from=build'))).toBe(true);
  });

  test('runs `serve` as a user other than root, listening on all interfaces', () => {
    const user = runtime.filter((i) => i.keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    const cmd = runtime.filter((i) => i.keyword === 'CMD').at(-1)?.args ?? '';
    expect(JSON.parse(cmd)).toEqual(['node', 'dist/cli/main.js', 'serve']);
    expect(runtime.some((i) => i.keyword === 'ENV' && /HOST=0\.0\.0\.0/.test(i.args))).toBe(true);
  });

  test('has a health check against /healthz', () => {
    const healthcheck = runtime.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(healthcheck).toContain('/healthz');
  });

  test('the CMD entry point exists in the source tree it is compiled from', () => {
    expect(readFileSync(path.join(ROOT, 'src/cli/main.ts'), 'utf8')).toContain('buildProgram');
  });
});

describe('docker-compose.yml', () => {
  const { hub, postgres } = compose.services;

  test('runs the hub and PostgreSQL, each with a health check', () => {
    expect(hub).toBeDefined();
    expect(postgres?.image).toMatch(/^postgres:16/);
    expect(JSON.stringify(postgres?.healthcheck?.test)).toContain('pg_isready');
    expect(JSON.stringify(hub?.healthcheck?.test)).toContain('/healthz');
  });

  test('keeps the PostgreSQL data in a named volume', () => {
    const mount = postgres?.volumes?.find((v) => v.endsWith(':/var/lib/postgresql/data'));
    const volumeName = mount?.split(':')[0] ?? '';
    expect(Object.keys(compose.volumes ?? {})).toContain(volumeName);
  });

  test('starts the hub once PostgreSQL is healthy and points DATABASE_URL at it', () => {
    expect(hub?.depends_on?.postgres?.condition).toBe('service_healthy');
    const url = new URL((hub?.environment?.DATABASE_URL ?? '').replace(/\$\{[^}]*\}/g, 'password'));
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('postgres');
    const db = postgres?.environment ?? {};
    expect(url.username).toBe(db.POSTGRES_USER);
    expect(url.pathname).toBe(`/${db.POSTGRES_DB}`);
  });
});
