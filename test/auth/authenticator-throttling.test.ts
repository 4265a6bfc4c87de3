import request from 'supertest';
import { authApp, basic, createAuthWorld, type AuthWorld } from './auth-fixtures';

let world: AuthWorld;

beforeAll(async () => {
  world = await createAuthWorld();
});

afterAll(async () => {
  await world.db.close();
});

const FIVE_MINUTES = 5 * 60_000;
const THROTTLED = { title: 'Too many requests', description: 'Too many failed authentication attempts; retry later' };

describe('throttling of failed authentications', () => {
  test('after 10 wrong passwords the user is refused with 429 until the window has passed', async () => {
    let clock = Date.now();
    const { app, verifications } = authApp(world.store, { now: () => clock });
    const get = (password: string) => request(app).get('/whoami').set('Authorization', basic('alice', password));
    for (let i = 0; i < 10; i += 1) expect((await get('guess')).status).toBe(401);

    const eleventh = await get('guess');
    expect(eleventh.status).toBe(429);
    expect(eleventh.headers['retry-after']).toBe('300');
    expect(eleventh.body).toEqual(THROTTLED);

    const rightButThrottled = await get(world.alice.password);
    expect(rightButThrottled.status).toBe(429);
    expect(verifications()).toBe(10); // refused attempts are not even verified

    clock += FIVE_MINUTES - 60_000;
    expect((await get(world.alice.password)).headers['retry-after']).toBe('60');
    clock += 60_000;
    expect((await get(world.alice.password)).status).toBe(200);
  });

  test('unknown usernames are throttled exactly like existing ones', async () => {
    const { app } = authApp(world.store, { throttle: { maxFailuresPerIdentity: 2 } });
    const answers = [];
    for (const username of ['alice', 'nobody']) {
      for (let i = 0; i < 2; i += 1) await request(app).get('/whoami').set('Authorization', basic(username, 'guess'));
      answers.push(await request(app).get('/whoami').set('Authorization', basic(username, 'guess')));
    }
    const [existing, unknown] = answers;
    expect(existing?.status).toBe(429);
    expect(unknown?.status).toBe(429);
    expect(unknown?.body).toEqual(existing?.body);
    expect(unknown?.headers['retry-after']).toBe(existing?.headers['retry-after']);
  });

  test("a successful sign-in clears the user's failures", async () => {
    const { app } = authApp(world.store, { throttle: { maxFailuresPerIdentity: 3 } });
    const get = (password: string) => request(app).get('/whoami').set('Authorization', basic('alice', password));
    for (let i = 0; i < 2; i += 1) await get('guess');
    expect((await get(world.alice.password)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await get('guess')).status).toBe(401);
    expect((await get(world.alice.password)).status).toBe(200);
  });

  test('an address guessing across many usernames is refused, other addresses are not', async () => {
    const { app } = authApp(world.store, { throttle: { maxFailuresPerIp: 3 } });
    const from = (address: string, username: string, password: string) =>
      request(app).get('/whoami').set('X-Forwarded-For', address).set('Authorization', basic(username, password));
    for (const username of ['u1', 'u2', 'alice']) expect((await from('203.0.113.7', username, 'guess')).status).toBe(401);

    const fourth = await from('203.0.113.7', 'u4', 'guess');
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
    expect((await from('203.0.113.7', 'alice', world.alice.password)).status).toBe(429);
    expect((await from('198.51.100.2', 'alice', world.alice.password)).status).toBe(200);
  });

  test('failures with an API key are counted per key id', async () => {
    const { app } = authApp(world.store, { throttle: { maxFailuresPerIdentity: 2 } });
    const { key, token } = world.keys.active;
    const wrong = `Bearer thk_${key.id}_${'A'.repeat(43)}`;
    for (let i = 0; i < 2; i += 1) expect((await request(app).get('/whoami').set('Authorization', wrong)).status).toBe(401);
    const res = await request(app).get('/whoami').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(429);
    expect(res.body).toEqual(THROTTLED);
    // the user's password is a different identity and still works
    expect((await request(app).get('/whoami').set('Authorization', basic('alice', world.alice.password))).status).toBe(200);
  });
});
