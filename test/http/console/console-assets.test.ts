import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { createErrorMiddleware } from '../../../src/http/errors/error-middleware';
import { consoleAssetRoutes } from '../../../src/http/console/console-assets';
import { CONSOLE_CSP } from '../../../src/http/console/console-security';
import { createMetrics } from '../../../src/http/ops/metrics';

const ROOT = path.resolve(__dirname, '..', '..', '..');
let built: string;
let app: express.Express;
beforeAll(() => {
  built = mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-console-assets-'));
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-console.mjs'), built], { stdio: 'pipe' });
  app = appServing(built);
});
afterAll(() => rmSync(built, { recursive: true, force: true }));

function appServing(dir: string): express.Express {
  const a = express();
  a.use((req, _res, next) => {
    (req as unknown as { log: unknown }).log = { warn: () => {}, error: () => {} };
    next();
  });
  a.use('/console', consoleAssetRoutes(dir));
  a.use(createErrorMiddleware({ metrics: createMetrics() }));
  return a;
}

describe('the console\'s page and bundle', () => {
  test('/console/ is the page, under a strict Content-Security-Policy, revalidated on each load', async () => {
    const res = await request(app).get('/console/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).not.toMatch(/<script>|<style>|\sstyle=|\son[a-z]+=/); // nothing inline
    expect(res.text).toMatch(/<script defer src="assets\/app-[A-Z0-9]+\.js"><\/script>/);
  });

  test('/console without the slash redirects to /console/ (the page\'s relative links need it)', async () => {
    const res = await request(app).get('/console');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/console/');
  });

  test('the content-hashed bundle files are cached for a year; an unknown file is a JSON 404', async () => {
    const files = readdirSync(path.join(built, 'assets'));
    expect(files.some((f) => /^app-[A-Z0-9]+\.css$/.test(f))).toBe(true);
    for (const file of files) {
      const res = await request(app).get(`/console/assets/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    }
    const missing = await request(app).get('/console/assets/nothing.js');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await request(app).get('/console/assets/..%2Findex.html')).status).toBe(404);
  });

  test('a hub whose console was not built says so and how to build it', async () => {
    const res = await request(appServing(path.join(built, 'nowhere'))).get('/console/');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('run npm run build');
  });
});
