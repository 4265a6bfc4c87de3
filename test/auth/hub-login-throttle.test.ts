import request from 'supertest';
import { createLogger } from '../../src/http/ops/logging';
import { createMetrics } from '../../src/http/ops/metrics';
import { composeHubApp } from '../../src/hub-composition';
import { testEngines } from '../support/test-databases';
import { startTestHub, TEST_HUB_INFO, type TestHub } from '../http/support/test-hub';
import { basic } from './auth-fixtures';

/** The login throttle as `serve` wires it: in memory on PGlite, in the database on PostgreSQL, reported in the hub's log. */

const TAXII = 'application/taxii+json;version=2.1';

describe.each(testEngines())('the hub on %s', (engine) => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub({ engine });
  }, 120_000);
  afterAll(() => hub.close());

  const discovery = (app: TestHub['app'], authorization: string) => request(app).get('/taxii2/').set('Accept', TAXII).set('Authorization', authorization);

  test('refuses an account after 10 failures from one address, and logs the refusal at warn with the address and the account', async () => {
    for (let i = 0; i < 10; i += 1) expect((await discovery(hub.app, basic('olivia', 'wrong-password'))).status).toBe(401);
    const refused = await discovery(hub.app, basic('olivia', 'wrong-password'));
    expect(refused.status).toBe(429);
    // the hub runs on the real clock: the first failure leaves the window five minutes after it was made
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(240);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(300);

    const warnings = hub.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.level === 40);
    expect(warnings).toContainEqual(
      expect.objectContaining({ account: 'olivia', address: expect.stringMatching(/127\.0\.0\.1$/), scheme: 'basic', msg: 'authentication throttled: too many failed attempts' }),
    );
    expect(hub.logLines.join('\n')).not.toContain('wrong-password');
  });

  if (engine === 'postgres') {
    test('every hub process on the server sees the failures counted by the others', async () => {
      const otherProcess = composeHubApp({
        db: hub.db,
        store: hub.store,
        hub: TEST_HUB_INFO,
        settings: { bodyLimitBytes: 64 * 1024, trustProxy: false },
        logger: createLogger('silent'),
        metrics: createMetrics(),
      });
      expect((await discovery(otherProcess, basic('olivia', 'wrong-password'))).status).toBe(429);
    });
  }
});
