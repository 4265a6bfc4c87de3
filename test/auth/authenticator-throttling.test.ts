import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { LoginThrottle, LoginThrottleSettings } from '../../src/auth/login-throttle';
import { MemoryLoginThrottle } from '../../src/auth/memory-login-throttle';
import { verifySecret } from '../../src/auth/secret-hashing';
import { SqlLoginThrottle } from '../../src/auth/sql-login-throttle';
import type { Database } from '../../src/storage/sql/database';
import { openTestDatabase, testEngines } from '../support/test-databases';
import { authApp, basic, createAuthWorld, type AuthWorld } from './auth-fixtures';

/**
 * The throttling rules as a client sees them, with the in-memory counters and with the database
 * counters on every test engine. authApp trusts X-Forwarded-For, so a test poses as any address.
 */

let world: AuthWorld;
const databases = new Map<string, Database>();

beforeAll(async () => {
  world = await createAuthWorld();
  for (const engine of testEngines()) databases.set(engine, await openTestDatabase(engine));
}, 120_000);

afterAll(async () => {
  await world.db.close();
  for (const db of databases.values()) await db.close();
});

const FIVE_MINUTES = 5 * 60_000;
const THROTTLED = { title: 'Too many requests', description: 'Too many failed authentication attempts; retry later' };
const ATTACKER = '203.0.113.7';
const ELSEWHERE = '198.51.100.2';
const GUESS = 'guess';

type ThrottleFactory = (settings: Partial<LoginThrottleSettings>, now: () => number) => LoginThrottle;
const FACTORIES: [string, ThrottleFactory][] = [
  ['in memory', (settings, now) => new MemoryLoginThrottle(settings, now)],
  ...testEngines().map((engine): [string, ThrottleFactory] => [
    `in the database on ${engine}`,
    (settings, now) => new SqlLoginThrottle(databases.get(engine) as Database, settings, now),
  ]),
];

describe.each(FACTORIES)('throttling of failed authentications, counted %s', (_name, throttleOf) => {
  let clock: number;
  /** The app under test; the wrong password 'guess' is refused without paying for Argon2, still counted as a verification. */
  const hub = (settings: Partial<LoginThrottleSettings> = {}) => {
    let verifications = 0;
    const verify = async (hash: string, plain: string) => {
      verifications += 1;
      return plain !== GUESS && verifySecret(hash, plain);
    };
    const { app } = authApp(world.store, { now: () => clock, throttle: throttleOf(settings, () => clock), verify });
    return { app, verifications: () => verifications };
  };
  const from = (app: ReturnType<typeof hub>['app'], address: string, authorization: string) =>
    request(app).get('/whoami').set('X-Forwarded-For', address).set('Authorization', authorization);

  /** Ten wrong passwords each for alice and four unknown usernames: the address reaches its default limit. */
  const fiftyFailuresFrom = async (app: ReturnType<typeof hub>['app'], address: string) => {
    for (const username of ['alice', 'u1', 'u2', 'u3', 'u4']) {
      for (let i = 0; i < 10; i += 1) expect((await from(app, address, basic(username, GUESS))).status).toBe(401);
    }
  };

  beforeEach(async () => {
    clock = Date.now();
    for (const db of databases.values()) await db.query('DELETE FROM login_throttle_attempts');
  });

  test('after 10 wrong passwords from an address the account is refused there, and its right password works from any other address', async () => {
    const { app, verifications } = hub();
    for (let i = 0; i < 10; i += 1) expect((await from(app, ATTACKER, basic('alice', GUESS))).status).toBe(401);

    const eleventh = await from(app, ATTACKER, basic('alice', GUESS));
    expect(eleventh.status).toBe(429);
    expect(eleventh.headers['retry-after']).toBe('300');
    expect(eleventh.body).toEqual(THROTTLED);
    expect((await from(app, ATTACKER, basic('alice', world.alice.password))).status).toBe(429);
    expect(verifications()).toBe(10); // refused attempts are not even verified

    expect((await from(app, ELSEWHERE, basic('alice', world.alice.password))).status).toBe(200);
  });

  test('the refusal ends as the failures leave the five-minute window', async () => {
    const { app } = hub();
    for (let i = 0; i < 10; i += 1) await from(app, ATTACKER, basic('alice', GUESS));
    clock += FIVE_MINUTES - 60_000;
    expect((await from(app, ATTACKER, basic('alice', world.alice.password))).headers['retry-after']).toBe('60');
    clock += 60_000;
    expect((await from(app, ATTACKER, basic('alice', world.alice.password))).status).toBe(200);
  });

  test('50 failures from an address, for any accounts, do not block an account that has not failed from it', async () => {
    const { app } = hub();
    await fiftyFailuresFrom(app, ATTACKER);
    expect((await from(app, ATTACKER, basic('carol', world.carol.password))).status).toBe(200);
  });

  test('an address past its failure limit still lets in every account that has not failed from it', async () => {
    const { app } = hub({ maxFailuresPerAddress: 3 });
    for (const username of ['u1', 'u2', 'u3']) expect((await from(app, ATTACKER, basic(username, GUESS))).status).toBe(401);

    expect((await from(app, ATTACKER, basic('u1', GUESS))).status).toBe(429);
    expect((await from(app, ATTACKER, basic('alice', world.alice.password))).status).toBe(200);
    // an account gets one verification from such an address; after a failure there it waits
    expect((await from(app, ATTACKER, basic('carol', GUESS))).status).toBe(401);
    expect((await from(app, ATTACKER, basic('carol', world.carol.password))).status).toBe(429);
    expect((await from(app, ELSEWHERE, basic('carol', world.carol.password))).status).toBe(200);
  });

  test('unknown usernames are throttled exactly like existing ones', async () => {
    const { app } = hub({ maxFailuresPerAccountAtAddress: 2 });
    const answers = [];
    for (const username of ['alice', 'nobody']) {
      for (let i = 0; i < 2; i += 1) await from(app, ATTACKER, basic(username, GUESS));
      answers.push(await from(app, ATTACKER, basic(username, GUESS)));
    }
    const [existing, unknown] = answers;
    expect(existing?.status).toBe(429);
    expect(unknown?.status).toBe(429);
    expect(unknown?.body).toEqual(existing?.body);
    expect(unknown?.headers['retry-after']).toBe(existing?.headers['retry-after']);
  });

  test("an address's failures count the same whether the usernames exist or not", async () => {
    const { app } = hub({ maxFailuresPerAddress: 3 });
    const probe = async (address: string, usernames: string[]) => {
      for (const username of usernames) await from(app, address, basic(username, GUESS));
      const first = await from(app, address, basic('probe', GUESS));
      const second = await from(app, address, basic('probe', GUESS));
      return [first.status, second.status, second.headers['retry-after']];
    };
    expect(await probe('192.0.2.1', ['alice', 'carol', 'dave'])).toEqual(await probe('192.0.2.2', ['x1', 'x2', 'x3']));
  });

  test("a successful sign-in clears the account's failures at that address", async () => {
    const { app } = hub({ maxFailuresPerAccountAtAddress: 3 });
    for (let i = 0; i < 2; i += 1) await from(app, ATTACKER, basic('alice', GUESS));
    expect((await from(app, ATTACKER, basic('alice', world.alice.password))).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await from(app, ATTACKER, basic('alice', GUESS))).status).toBe(401);
    expect((await from(app, ATTACKER, basic('alice', world.alice.password))).status).toBe(200);
  });

  test('a credential verified moments ago keeps working from an address where others guess at it', async () => {
    const { app } = hub();
    const poller = basic('alice', world.alice.password);
    expect((await from(app, ATTACKER, poller)).status).toBe(200);
    for (let i = 0; i < 11; i += 1) await from(app, ATTACKER, basic('alice', GUESS));
    expect((await from(app, ATTACKER, poller)).status).toBe(200);
  });

  test('API keys keep working while their owner’s username is throttled, from the very address that failed', async () => {
    const { app } = hub();
    await fiftyFailuresFrom(app, ATTACKER);
    expect((await from(app, ATTACKER, basic('alice', world.alice.password))).status).toBe(429);
    expect((await from(app, ATTACKER, `Bearer ${world.keys.active.token}`)).status).toBe(200);
  });

  test('failures with an API key are counted per key id and address, apart from passwords', async () => {
    const { app } = hub({ maxFailuresPerAccountAtAddress: 2 });
    const { key, token } = world.keys.active;
    const wrong = `Bearer thk_${key.id}_${'A'.repeat(43)}`;
    for (let i = 0; i < 2; i += 1) expect((await from(app, ATTACKER, wrong)).status).toBe(401);
    const res = await from(app, ATTACKER, `Bearer ${token}`);
    expect(res.status).toBe(429);
    expect(res.body).toEqual(THROTTLED);
    expect((await from(app, ELSEWHERE, `Bearer ${token}`)).status).toBe(200);
    expect((await from(app, ATTACKER, basic('alice', world.alice.password))).status).toBe(200);
  });

  test('200 concurrent wrong passwords let exactly the limit reach verification', async () => {
    let verifications = 0;
    let refused = 0;
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let everyoneArrived = () => {};
    const arrived = new Promise<void>((resolve) => (everyoneArrived = resolve));
    const tally = () => {
      if (verifications + refused === 200) everyoneArrived();
    };
    // Verifications wait at the gate until every attempt has either reached one or been refused.
    const { app } = authApp(world.store, {
      throttle: throttleOf({}, () => clock),
      verify: async (hash, plain) => {
        verifications += 1;
        tally();
        await gate;
        return verifySecret(hash, plain);
      },
    });
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const answers = Array.from({ length: 200 }, () =>
        request(url)
          .get('/whoami')
          .set('X-Forwarded-For', ATTACKER)
          .set('Authorization', basic('alice', GUESS))
          .then((res) => {
            if (res.status === 429) {
              refused += 1;
              tally();
            }
            return res.status;
          }),
      );
      await arrived;
      openGate();
      const statuses = await Promise.all(answers);
      expect(verifications).toBe(10);
      expect(statuses.filter((status) => status === 401)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(190);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('reporting throttled attempts', () => {
  test('a throttled attempt is logged at warn with the address and the account, never the password', async () => {
    const warnings: { fields: object; message: string }[] = [];
    const { app } = authApp(world.store, { logger: { warn: (fields, message) => warnings.push({ fields, message }) } });
    const guess = basic('alice', 'hunter2-guess');
    for (let i = 0; i < 10; i += 1) await request(app).get('/whoami').set('X-Forwarded-For', ATTACKER).set('Authorization', guess);
    expect(warnings).toEqual([]);

    const res = await request(app).get('/whoami').set('X-Forwarded-For', ATTACKER).set('Authorization', guess);
    expect(res.status).toBe(429);
    expect(warnings).toEqual([
      {
        fields: { address: ATTACKER, account: 'alice', scheme: 'basic', reason: 'account-at-address', retryAfterSeconds: 300 },
        message: 'authentication throttled: too many failed attempts',
      },
    ]);
    expect(JSON.stringify(warnings)).not.toContain('hunter2');
  });
});
