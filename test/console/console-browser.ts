import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readConfigDeclarations } from '../../src/config/config-declarations';
import { BUNDLED_CONFIG_PATH } from '../../src/config/hub-config-path';
import { createLogger } from '../../src/http/ops/logging';
import { createMetrics } from '../../src/http/ops/metrics';
import { composeHub } from '../../src/hub-composition';
import type { DeliveryEngine } from '../../src/services/delivery/delivery-engine';
import type { Database } from '../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import { applyDemoConfig } from '../support/demo-config';
import { openTestDatabase } from '../support/test-databases';

/**
 * One demo hub (PGlite, the bundled demo configuration) serving a freshly built console, and one
 * headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) per test file.
 * Without Chromium the tests fail, saying how to install it: they never skip.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '..', '..');

export interface ConsoleBrowser {
  readonly url: string;
  readonly db: Database;
  readonly browser: Browser;
  /** The hub's delivery engine, not started: a test that needs deliveries starts it (close() stops it). */
  readonly delivery: DeliveryEngine;
  /** A new page (own cookies and storage) in the given browser language. */
  newPage(locale?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startConsoleBrowser(): Promise<ConsoleBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The console's browser tests need Chromium at ${CHROMIUM}: install it (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`);
  }
  const assetsDir = mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-console-'));
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-console.mjs'), assetsDir], { stdio: 'pipe' });
  const db = await openTestDatabase('pglite');
  const store = createSqlTenancyStore(db);
  const config = await applyDemoConfig(store);
  // As `serve` composes it: the admin API says where each config-managed entity is declared.
  const configDeclarations = await readConfigDeclarations(BUNDLED_CONFIG_PATH);
  const composed = composeHub({ db, store, hub: config.hub, settings: { bodyLimitBytes: 1024 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics(), consoleAssetsDir: assetsDir, configDeclarations });
  const server = http.createServer(composed.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  return {
    url,
    db,
    browser,
    delivery: composed.delivery,
    async newPage(locale = 'en-US') {
      const context = await browser.newContext({ locale, baseURL: url });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000); // a missing element fails the test with its locator, inside jest's 30 s
      return page;
    },
    async close() {
      await browser.close();
      await composed.delivery.stop();
      await composed.streams.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await db.close();
      rmSync(assetsDir, { recursive: true, force: true });
    },
  };
}

/** Opens the console and signs in through its form. */
export async function signIn(page: Page, username: string, password = `${username}-demo-pw`): Promise<void> {
  await page.goto('/console/');
  await page.getByLabel(/Username|ユーザー名/).fill(username);
  await page.getByLabel(/Password|パスワード/).fill(password);
  await page.getByRole('button', { name: /Sign in|サインイン/ }).click();
}
