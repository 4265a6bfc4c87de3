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

describe('the verification cache', () => {
  test('a client repeating its Basic credentials is verified with Argon2 once', async () => {
    const { app, verifications } = authApp(world.store);
    for (let i = 0; i < 3; i += 1) {
      const res = await request(app).get('/whoami').set('Authorization', basic('alice', world.alice.password));
      expect(res.status).toBe(200);
    }
    expect(verifications()).toBe(1);
  });

  test('a client repeating its API key is verified with Argon2 once', async () => {
    const { app, verifications } = authApp(world.store);
    for (let i = 0; i < 3; i += 1) {
      const res = await request(app).get('/whoami').set('Authorization', `Bearer ${world.keys.active.token}`);
      expect(res.status).toBe(200);
    }
    expect(verifications()).toBe(1);
  });

  test('a wrong password is never answered from the cache', async () => {
    const { app, verifications } = authApp(world.store);
    await request(app).get('/whoami').set('Authorization', basic('alice', world.alice.password));
    const res = await request(app).get('/whoami').set('Authorization', basic('alice', `${world.alice.password}x`));
    expect(res.status).toBe(401);
    expect(verifications()).toBe(2);
  });

  test('after a password change the old password fails at once and the new one works', async () => {
    const { carol } = world;
    const { app } = authApp(world.store);
    expect((await request(app).get('/whoami').set('Authorization', basic('carol', carol.password))).status).toBe(200);

    await world.store.users.setPasswordHash(carol.user.id, carol.newPasswordHash);

    expect((await request(app).get('/whoami').set('Authorization', basic('carol', carol.password))).status).toBe(401);
    expect((await request(app).get('/whoami').set('Authorization', basic('carol', carol.newPassword))).status).toBe(200);
  });

  test('a key stops working the moment it is revoked, though its verification is cached', async () => {
    const { app } = authApp(world.store);
    const header = `Token ${world.keys.revocable.token}`;
    expect((await request(app).get('/whoami').set('Authorization', header)).status).toBe(200);

    await world.store.apiKeys.revoke(world.keys.revocable.key.id, new Date());

    expect((await request(app).get('/whoami').set('Authorization', header)).status).toBe(401);
  });

  test('a user is refused the moment they are disabled, though their verification is cached', async () => {
    const { dave } = world;
    const { app } = authApp(world.store);
    await world.store.users.update({ ...dave.user, disabled: false });
    try {
      expect((await request(app).get('/whoami').set('Authorization', basic('dave', dave.password))).status).toBe(200);
      await world.store.users.update({ ...dave.user, disabled: true });
      expect((await request(app).get('/whoami').set('Authorization', basic('dave', dave.password))).status).toBe(401);
    } finally {
      await world.store.users.update(dave.user);
    }
  });

  test('forgetUser makes the next request of that user, by password or by key, verify again', async () => {
    const { app, authenticator, verifications } = authApp(world.store);
    const byPassword = basic('alice', world.alice.password);
    const byKey = `Bearer ${world.keys.active.token}`;
    for (const header of [byPassword, byKey, byPassword, byKey]) {
      expect((await request(app).get('/whoami').set('Authorization', header)).status).toBe(200);
    }
    expect(verifications()).toBe(2);

    authenticator.forgetUser(world.alice.user.id);

    for (const header of [byPassword, byKey]) {
      expect((await request(app).get('/whoami').set('Authorization', header)).status).toBe(200);
    }
    expect(verifications()).toBe(4);
  });

  test('forgetApiKey makes the next request with that key verify again, and leaves the password cached', async () => {
    const { app, authenticator, verifications } = authApp(world.store);
    const byPassword = basic('alice', world.alice.password);
    const byKey = `Bearer ${world.keys.active.token}`;
    for (const header of [byPassword, byKey]) await request(app).get('/whoami').set('Authorization', header);
    expect(verifications()).toBe(2);

    authenticator.forgetApiKey(world.keys.active.key.id);

    for (const header of [byPassword, byKey]) {
      expect((await request(app).get('/whoami').set('Authorization', header)).status).toBe(200);
    }
    expect(verifications()).toBe(3);
  });

  test('a remembered verification lasts five minutes by default', async () => {
    let clock = Date.now();
    const { app, verifications } = authApp(world.store, { now: () => clock });
    const header = basic('alice', world.alice.password);
    await request(app).get('/whoami').set('Authorization', header);
    clock += FIVE_MINUTES - 1;
    await request(app).get('/whoami').set('Authorization', header);
    expect(verifications()).toBe(1);
    clock += 1;
    expect((await request(app).get('/whoami').set('Authorization', header)).status).toBe(200);
    expect(verifications()).toBe(2);
  });

  test('a TTL of 0 turns the cache off', async () => {
    const { app, verifications } = authApp(world.store, { cacheTtlMs: 0 });
    const header = basic('alice', world.alice.password);
    await request(app).get('/whoami').set('Authorization', header);
    await request(app).get('/whoami').set('Authorization', header);
    expect(verifications()).toBe(2);
  });
});
