import request from 'supertest';
import { testEngines } from '../../support/test-databases';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';

// Sessions and the login throttle live in the database on PostgreSQL (several hub processes share
// them) and the throttle in memory on PGlite: both engines run the same specification.
describe.each(testEngines())('the console session on %s', (engine) => {
  let hub: DemoConfigHub;
  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
  });
  afterAll(() => hub.close());

  interface SignedIn {
    readonly cookie: string;
    readonly csrf: string;
    readonly setCookie: string;
  }

  async function signIn(username: string, password = `${username}-demo-pw`): Promise<SignedIn> {
    const res = await request(hub.app).post('/console/session').send({ username, password });
    expect(res.status).toBe(201);
    const setCookie = String(res.headers['set-cookie']?.[0]);
    return { cookie: setCookie.split(';')[0] ?? '', csrf: (res.body as { csrf_token: string }).csrf_token, setCookie };
  }

  const whoAmI = (cookie: string) => request(hub.app).get('/console/session').set('Cookie', cookie);

  describe('signing in to the console (POST /console/session)', () => {
    test('the right password answers the session and sets an HttpOnly, SameSite=Strict cookie for the whole hub', async () => {
      const res = await request(hub.app).post('/console/session').send({ username: 'alice', password: 'alice-demo-pw' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ username: 'alice', organization: 'acme-hq', roles: ['consumer', 'org-admin', 'provider'], idle_timeout_seconds: 1800 });
      expect(res.body.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const cookie = String(res.headers['set-cookie']?.[0]);
      expect(cookie).toMatch(/^taxii_hub_session=[A-Za-z0-9_-]{43}; /);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      expect(cookie).toContain('Path=/');
      expect(cookie).toContain('Max-Age=43200');
      expect(cookie).not.toContain('Secure'); // plain http: a Secure cookie would never come back
      expect(res.headers['cache-control']).toBe('no-store');
    });

    test('over https (a trusted proxy saying so) the cookie is Secure as well', async () => {
      hub.app.set('trust proxy', true);
      try {
        const res = await request(hub.app).post('/console/session').set('X-Forwarded-Proto', 'https').send({ username: 'bob', password: 'bob-demo-pw' });
        expect(String(res.headers['set-cookie']?.[0])).toMatch(/; Secure$/);
      } finally {
        hub.app.set('trust proxy', false);
      }
    });

    test('a wrong password is 401 in JSON, without a Basic challenge (which would open the browser\'s own dialog)', async () => {
      const res = await request(hub.app).post('/console/session').send({ username: 'alice', password: 'nope' });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'AUTHENTICATION_REQUIRED', message: 'Wrong username or password' } });
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    test('a body without a password, or not JSON, is refused with the problem named', async () => {
      const missing = await request(hub.app).post('/console/session').send({ username: 'alice' });
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({ error: { code: 'VALIDATION_FAILED', problems: [{ path: 'password', message: 'is required' }] } });
      const form = await request(hub.app).post('/console/session').type('form').send('username=alice&password=alice-demo-pw');
      expect(form.status).toBe(415);
    });

    test('a sign-in posted from another site\'s page (Origin) is refused', async () => {
      for (const origin of ['https://evil.example', 'null']) {
        const res = await request(hub.app).post('/console/session').set('Origin', origin).send({ username: 'alice', password: 'alice-demo-pw' });
        expect(res.status).toBe(403);
      }
    });

    test('signing in again replaces the session: the old cookie stops working', async () => {
      const first = await signIn('frank');
      const again = await request(hub.app).post('/console/session').set('Cookie', first.cookie).send({ username: 'frank', password: 'frank-demo-pw' });
      expect(again.status).toBe(201);
      expect((await whoAmI(first.cookie)).status).toBe(401);
      expect((await whoAmI(String(again.headers['set-cookie']?.[0]).split(';')[0] ?? '')).status).toBe(200);
    });

    test('wrong passwords are throttled as for Basic, and the throttle is the same one', async () => {
      for (let i = 0; i < 10; i += 1) {
        const res = await request(hub.app).post('/console/session').send({ username: 'erin', password: `wrong-${i}` });
        expect(res.status).toBe(401);
      }
      const console11 = await request(hub.app).post('/console/session').send({ username: 'erin', password: 'erin-demo-pw' });
      expect(console11.status).toBe(429);
      expect(Number(console11.headers['retry-after'])).toBeGreaterThan(0);
      const basic = await request(hub.app).get('/admin/api/whoami').set('Authorization', demoAuth('erin'));
      expect(basic.status).toBe(429);
    });
  });

  describe('the session cookie as a credential', () => {
    test('GET /console/session says who is signed in; the cookie reads the admin and hub APIs', async () => {
      const { cookie, csrf } = await signIn('operator');
      const me = await whoAmI(cookie);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ username: 'operator', roles: ['operator'], csrf_token: csrf });
      const whoami = await request(hub.app).get('/admin/api/whoami').set('Cookie', cookie);
      expect(whoami.body).toMatchObject({ username: 'operator', via: 'session' });
      const groups = await request(hub.app).get('/admin/api/trust-groups').set('Cookie', cookie);
      expect(groups.status).toBe(200);
    });

    test('an unsafe request with the cookie but without the CSRF token is refused (403), with it it passes', async () => {
      const { cookie, csrf } = await signIn('bob');
      const me = (await whoAmI(cookie)).body as { user_id: string };
      const path = `/admin/api/users/${me.user_id}/api-keys`;
      const without = await request(hub.app).post(path).set('Cookie', cookie).send({ name: 'laptop' });
      expect(without.status).toBe(403);
      expect(without.body.error.message).toContain('x-csrf-token');
      const wrong = await request(hub.app).post(path).set('Cookie', cookie).set('X-CSRF-Token', 'x'.repeat(43)).send({ name: 'laptop' });
      expect(wrong.status).toBe(403);
      const withToken = await request(hub.app).post(path).set('Cookie', cookie).set('X-CSRF-Token', csrf).send({ name: 'laptop' });
      expect(withToken.status).toBe(201);
    });

    test('Basic and API keys still work beside it, and an Authorization header wins over the cookie', async () => {
      const { cookie } = await signIn('carol');
      const res = await request(hub.app).get('/admin/api/whoami').set('Cookie', cookie).set('Authorization', demoAuth('bob'));
      expect(res.body).toMatchObject({ username: 'bob', via: 'basic' });
    });

    test('an unknown or malformed cookie is 401 with no Basic challenge', async () => {
      for (const value of ['A'.repeat(43), 'short', '']) {
        const res = await request(hub.app).get('/admin/api/whoami').set('Cookie', `taxii_hub_session=${value}`);
        expect(res.status).toBe(401);
        if (value !== '') expect(res.headers['www-authenticate']).toBeUndefined();
      }
      expect((await whoAmI('taxii_hub_session=nothing')).status).toBe(401);
    });

    test('the hub stores only a digest of the token', async () => {
      const { cookie } = await signIn('dave');
      const token = cookie.split('=')[1] ?? '';
      const { rows } = await hub.db.query<{ token_hash: string }>('SELECT token_hash FROM console_sessions');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.some((r) => r.token_hash.includes(token))).toBe(false);
    });
  });

  describe('the end of a session', () => {
    test('signing out deletes the session: the same cookie no longer works, and the cookie is cleared', async () => {
      const { cookie, csrf } = await signIn('alice');
      const refused = await request(hub.app).delete('/console/session').set('Cookie', cookie);
      expect(refused.status).toBe(403); // logout needs the CSRF token too
      const out = await request(hub.app).delete('/console/session').set('Cookie', cookie).set('X-CSRF-Token', csrf);
      expect(out.status).toBe(204);
      expect(String(out.headers['set-cookie']?.[0])).toContain('Max-Age=0');
      expect((await whoAmI(cookie)).status).toBe(401);
      expect((await request(hub.app).get('/admin/api/whoami').set('Cookie', cookie)).status).toBe(401);
    });

    test('a session past its expiry time is over', async () => {
      const { cookie } = await signIn('alice');
      await hub.db.query("UPDATE console_sessions SET expires_at = now() - interval '1 second'");
      expect((await whoAmI(cookie)).status).toBe(401);
    });

    test('a session idle for longer than the idle timeout is over; one used recently is not', async () => {
      const { cookie } = await signIn('alice');
      await hub.db.query("UPDATE console_sessions SET last_seen_at = now() - interval '29 minutes'");
      expect((await whoAmI(cookie)).status).toBe(200);
      await hub.db.query("UPDATE console_sessions SET last_seen_at = now() - interval '31 minutes'");
      expect((await whoAmI(cookie)).status).toBe(401);
    });

    test('a new password ends the user\'s sessions', async () => {
      const { cookie } = await signIn('heidi');
      const users = await request(hub.app).get('/admin/api/users?organization=vandelay').set('Authorization', demoAuth('operator'));
      const heidi = (users.body as { users: { id: string; username: string }[] }).users.find((u) => u.username === 'heidi');
      const changed = await request(hub.app).patch(`/admin/api/users/${heidi?.id}`).set('Authorization', demoAuth('operator')).send({ password: 'a-new-password-for-heidi' });
      expect(changed.status).toBe(200);
      await new Promise<void>((resolve) => setImmediate(resolve)); // the event handler deletes asynchronously
      const deadline = Date.now() + 2000;
      let status = (await whoAmI(cookie)).status;
      while (status !== 401 && Date.now() < deadline) status = (await whoAmI(cookie)).status;
      expect(status).toBe(401);
    });
  });
});
