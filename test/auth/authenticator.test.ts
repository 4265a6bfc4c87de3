import request from 'supertest';
import { WWW_AUTHENTICATE_CHALLENGE } from '../../src/auth/challenge';
import { authApp, basic, createAuthWorld, type AuthWorld } from './auth-fixtures';

let world: AuthWorld;

beforeAll(async () => {
  world = await createAuthWorld();
});

afterAll(async () => {
  await world.db.close();
});

function withoutDate(headers: Record<string, unknown>): Record<string, unknown> {
  const { date: _date, ...rest } = headers;
  return rest;
}

describe('Basic authentication', () => {
  test('a user with the right password is the principal, with organization and roles', async () => {
    const { app } = authApp(world.store);
    const res = await request(app).get('/whoami').set('Authorization', basic('alice', world.alice.password));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userId: world.alice.user.id,
      username: 'alice',
      organizationId: world.org,
      roles: ['consumer', 'provider'],
      via: 'basic',
    });
  });

  test('a password containing ":" is split from the username at the first ":" only', async () => {
    expect(world.alice.password).toContain(':');
    const { app } = authApp(world.store);
    const res = await request(app).get('/whoami').set('Authorization', basic('alice', world.alice.password));
    expect(res.status).toBe(200);
    const truncated = world.alice.password.split(':')[0] ?? '';
    const wrong = await request(app).get('/whoami').set('Authorization', basic('alice', truncated));
    expect(wrong.status).toBe(401);
  });

  test('a wrong password is a 401 with the challenge', async () => {
    const { app } = authApp(world.store);
    const res = await request(app).get('/whoami').set('Authorization', basic('alice', 'not-it'));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(WWW_AUTHENTICATE_CHALLENGE);
    expect(res.body).toEqual({ title: 'Authentication required', description: 'Authentication required' });
  });

  test('an unknown user gets exactly the answer a wrong password gets', async () => {
    const { app, verifications } = authApp(world.store);
    const wrongPassword = await request(app).get('/whoami').set('Authorization', basic('alice', 'not-it'));
    const unknownUser = await request(app).get('/whoami').set('Authorization', basic('mallory', 'not-it'));
    expect(unknownUser.status).toBe(wrongPassword.status);
    expect(unknownUser.body).toEqual(wrongPassword.body);
    expect(withoutDate(unknownUser.headers)).toEqual(withoutDate(wrongPassword.headers));
    // the unknown user still costs an Argon2 verification, so timing does not tell them apart either
    expect(verifications()).toBe(2);
  });

  test('a request without credentials is a 401 with the Basic and Bearer challenge', async () => {
    const { app } = authApp(world.store);
    const res = await request(app).get('/whoami');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="taxii-hub", Bearer realm="taxii-hub"');
  });

  test('an unsupported scheme or malformed Basic credentials are a 401', async () => {
    const { app } = authApp(world.store);
    for (const header of ['Digest username="alice"', 'Basic', 'Basic !!!', basic('alice', '')]) {
      const res = await request(app).get('/whoami').set('Authorization', header);
      expect(res.status).toBe(401);
    }
  });

  test('a username with a NUL byte is an ordinary failed login', async () => {
    const { app } = authApp(world.store);
    const res = await request(app).get('/whoami').set('Authorization', basic('ali\0ce', world.alice.password));
    expect(res.status).toBe(401);
  });

  test('a disabled user cannot sign in, even with the right password', async () => {
    const { app } = authApp(world.store);
    const res = await request(app).get('/whoami').set('Authorization', basic('dave', world.dave.password));
    expect(res.status).toBe(401);
    expect(res.body.description).toBe('Authentication required');
  });
});

describe('API key authentication', () => {
  test.each(['Bearer', 'Token'])('a key presented as "%s <token>" is the principal of its user', async (scheme) => {
    const { app } = authApp(world.store);
    const res = await request(app).get('/whoami').set('Authorization', `${scheme} ${world.keys.active.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userId: world.alice.user.id,
      username: 'alice',
      organizationId: world.org,
      roles: ['consumer', 'provider'],
      via: 'api-key',
      apiKeyId: world.keys.active.key.id,
    });
  });

  test('a revoked key is refused', async () => {
    const { app } = authApp(world.store);
    const res = await request(app).get('/whoami').set('Authorization', `Bearer ${world.keys.revoked.token}`);
    expect(res.status).toBe(401);
  });

  test('an expired key is refused', async () => {
    const { app } = authApp(world.store);
    const res = await request(app).get('/whoami').set('Authorization', `Bearer ${world.keys.expired.token}`);
    expect(res.status).toBe(401);
  });

  test('a key with a wrong secret, an unknown key and a malformed token are refused alike', async () => {
    const { app } = authApp(world.store);
    const id = world.keys.active.key.id;
    const answers = await Promise.all(
      [`thk_${id}_${'A'.repeat(43)}`, `thk_${'0'.repeat(16)}_${'A'.repeat(43)}`, 'not-a-token'].map((token) =>
        request(app).get('/whoami').set('Authorization', `Bearer ${token}`),
      ),
    );
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ title: 'Authentication required', description: 'Authentication required' });
    }
  });
});
