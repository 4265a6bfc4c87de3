import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { localSocketOperator, markLocalSocketRequest } from '../../src/auth/local-socket-principal';
import { authApp, basic, createAuthWorld, type AuthWorld } from './auth-fixtures';

/** The authenticator and a request the local socket marked: its principal, whatever the headers say. */

let world: AuthWorld;
beforeAll(async () => {
  world = await createAuthWorld();
});
afterAll(async () => {
  await world.db.close();
});

/** The app as the socket server runs it: each request marked before the app sees it. */
function onTheSocket(app: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse) => {
    markLocalSocketRequest(req, localSocketOperator());
    app(req, res);
  };
}

test('a marked request is the local operator without credentials, and despite wrong ones', async () => {
  const { app } = authApp(world.store);
  const plain = await request(onTheSocket(app)).get('/whoami');
  expect(plain.status).toBe(200);
  expect(plain.body).toEqual({ userId: 'local-socket', username: 'local-socket', organizationId: '', roles: ['operator'], via: 'local' });
  const wrong = await request(onTheSocket(app)).get('/whoami').set('Authorization', basic('alice', 'not-it'));
  expect(wrong.body).toMatchObject({ username: 'local-socket' });
});

test('an unmarked request gets no principal from the socket, whatever it sends', async () => {
  const { app } = authApp(world.store);
  const res = await request(app).get('/whoami').set('taxii-hub-act-as', 'operator');
  expect(res.status).toBe(401);
});
