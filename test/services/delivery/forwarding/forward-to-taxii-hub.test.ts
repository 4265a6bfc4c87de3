import { testEngines } from '../../../support/test-databases';
import { ACME, startForwardingHub, type ForwardingHub, type ForwardJson } from './support/forwarding-hub';
import { INGEST_PASSWORD, INGEST_USER, REMOTE_COLLECTION, startRemoteTaxiiHub, type RemoteTaxiiHub } from './support/remote-taxii-hub';

/**
 * Forwarding (issue 13 §3) into a second taxii-hub on loopback: what the forward's organization may
 * read arrives there through TAXII 2.1 Add Objects, checked by the remote's status resource; failures
 * are retried and reported; the outbound guard decides where the hub may send.
 */

const TAXII = 'application/taxii+json;version=2.1';

describe.each(testEngines())('forwarding to another taxii-hub, sending from %s', (engine) => {
  let hub: ForwardingHub;
  let remote: RemoteTaxiiHub;
  beforeAll(async () => {
    remote = await startRemoteTaxiiHub();
    hub = await startForwardingHub(engine);
  });
  afterAll(async () => {
    await hub?.close();
    await remote?.close();
  });

  const ingest = { kind: 'basic', username: INGEST_USER, password: INGEST_PASSWORD };
  const westForward = (extra: Record<string, unknown> = {}) =>
    hub.forward({ collection: ACME, api_root_url: remote.apiRootUrl, remote_collection: REMOTE_COLLECTION, credentials: ingest, organization: 'acme-west', run_as: 'carol', ...extra });

  /**
   * Waits until `check` holds: re-checked once the hub's deliveries in flight have been recorded, and
   * after every answer of the remote. Only what happened is waited on, never time.
   */
  async function until(check: () => Promise<boolean>): Promise<void> {
    for (;;) {
      const seen = remote.answers.length;
      await hub.composed.delivery.idle();
      if (await check()) return;
      if (remote.answers.length === seen) await remote.nextAnswer();
    }
  }
  const remoteIds = async () => new Set((await remote.objects()).map((o) => String(o.id)));
  const forwardOf = (id: string) => hub.show(id);

  test('what the organization may read arrives, with the identities and markings it names; a sibling\'s AMBER indicator does not', async () => {
    const forward = await westForward();
    expect(forward).toMatchObject({ organization: 'acme-west', run_as: 'carol', status: 'active', credentials: { kind: 'basic', username: INGEST_USER }, warnings: [] });
    expect(JSON.stringify(forward)).not.toContain(INGEST_PASSWORD);

    const fromHq = await hub.submit('alice', 'c2-hostname', [`c2-${engine}-a.example`, `c2-${engine}-b.example`]);
    const fromSibling = await hub.submit('bob', 'c2-hostname', [`east-only-${engine}.example`]);
    await until(async () => {
      const present = await remoteIds();
      return fromHq.every((id) => present.has(id));
    });

    const objects = await remote.objects();
    const ids = new Set(objects.map((o) => String(o.id)));
    for (const id of fromHq) expect(ids).toContain(id);
    for (const id of fromSibling) expect(ids).not.toContain(id);
    // What the indicators name came with them: their creator's identity and their TLP marking.
    const indicator = objects.find((o) => o.id === fromHq[0]) as Record<string, unknown>;
    expect(ids).toContain(String(indicator.created_by_ref));
    for (const marking of indicator.object_marking_refs as string[]) expect(ids).toContain(marking);

    const posts = remote.answers.filter((a) => a.method === 'POST');
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) {
      expect(post).toMatchObject({ path: `/intake/collections/${REMOTE_COLLECTION}/objects/`, status: 202, contentType: TAXII, accept: TAXII });
      expect(post.authorization).toBe(`Basic ${Buffer.from(`${INGEST_USER}:${INGEST_PASSWORD}`).toString('base64')}`);
    }
    const shown = await forwardOf(forward.id);
    expect(shown.delivery).toMatchObject({ last_error: null, consecutive_failures: 0 });
    expect(shown.delivery.delivered_objects).toBeGreaterThanOrEqual(2);
  });

  test('a revocation arrives as the new version, revoked: true', async () => {
    const [id] = await hub.submit('alice', 'url', [`https://phish-${engine}.example/login`]);
    await until(async () => (await remoteIds()).has(id as string));
    const revoked = await hub.api('post', `/collections/${ACME}/indicators/${id}/revoke`, 'alice', { reason: 'a false positive' });
    expect(revoked.status).toBe(200);
    const version = (revoked.body as { version: string }).version;
    await until(async () => (await remote.objects()).some((o) => o.id === id && o.revoked === true));
    const versions = (await remote.objects()).filter((o) => o.id === id);
    expect(versions.map((o) => o.modified)).toContain(version);
    expect(versions.find((o) => o.modified === version)).toMatchObject({ revoked: true });
  });

  test('a remote answering 500 is retried, and once it recovers nothing is lost', async () => {
    remote.failWith = 500;
    const ids = await hub.submit('alice', 'c2-ip', ['203.0.113.21', '203.0.113.22', '203.0.113.23']);
    const forwards = (await hub.api('get', '/forwards?organization=acme-west', 'operator')).body as { forwards: ForwardJson[] };
    const main = forwards.forwards[0] as ForwardJson;
    await until(async () => (await forwardOf(main.id)).delivery.consecutive_failures >= 1);
    expect((await forwardOf(main.id)).delivery.last_error).toMatch(/HTTP 500 \(server error\): Unavailable: the remote is failing on purpose/);
    remote.failWith = undefined;
    await until(async () => {
      const present = await remoteIds();
      return ids.every((id) => present.has(id));
    });
    expect((await forwardOf(main.id)).delivery.consecutive_failures).toBe(0);
  });

  test('a status with failures is reported, naming the object and why, and retried until the remote takes it', async () => {
    // A remote collection with hidden attribution refuses objects that name a creator.
    await remote.setAttribution('hidden');
    const [id] = await hub.submit('alice', 'c2-hostname', [`refused-then-taken-${engine}.example`]);
    const forwards = (await hub.api('get', '/forwards?organization=acme-west', 'operator')).body as { forwards: ForwardJson[] };
    const main = forwards.forwards[0] as ForwardJson;
    await until(async () => (await forwardOf(main.id)).delivery.consecutive_failures >= 2);
    const failing = await forwardOf(main.id);
    expect(failing.delivery.last_error).toContain(`the remote TAXII server refused 1 of`);
    expect(failing.delivery.last_error).toContain(`${id as string} (attribution is hidden in this collection`);
    expect((await remoteIds()).has(id as string)).toBe(false);

    await remote.setAttribution('attributed');
    await until(async () => (await remoteIds()).has(id as string));
    expect((await forwardOf(main.id)).delivery.consecutive_failures).toBe(0);
  });

  test('a pending status is read again until it is complete, within the same delivery', async () => {
    remote.answerPending = true;
    const before = remote.answers.length;
    const [id] = await hub.submit('alice', 'url', [`https://slow-remote-${engine}.example/payload`]);
    await until(async () => (await remoteIds()).has(id as string) && remote.answers.some((a) => a.method === 'GET'));
    remote.answerPending = false;
    const exchange = remote.answers.slice(before);
    // One POST (pending), then the status read until complete: the batch was not sent again.
    expect(exchange.filter((a) => a.method === 'POST')).toHaveLength(1);
    const checks = exchange.filter((a) => a.method === 'GET');
    expect(checks[0]).toMatchObject({ path: expect.stringMatching(/^\/intake\/status\/[0-9a-f-]{36}\/$/), status: 200, accept: TAXII });
    const forwards = (await hub.api('get', '/forwards?organization=acme-west', 'operator')).body as { forwards: ForwardJson[] };
    await until(async () => (await forwardOf((forwards.forwards[0] as ForwardJson).id)).delivery.consecutive_failures === 0);
  });

  test('a forward from the beginning sends what the collection holds already, in envelopes of at most max_objects', async () => {
    const collection = `f0e1d2c3-0000-4000-8000-00000000${engine === 'pglite' ? '0b0b' : '0c0c'}`;
    await remote.addCollection(collection);
    const before = remote.answers.length;
    const forward = await westForward({ remote_collection: collection, start: 'beginning', max_objects: 2 });
    const sentBefore = [...(await remoteIds())];
    await until(async () => {
      const present = new Set((await remote.objects(collection)).map((o) => String(o.id)));
      return sentBefore.every((id) => present.has(id));
    });
    const posts = remote.answers.slice(before).filter((a) => a.method === 'POST' && a.path.includes(collection));
    expect(posts.length).toBeGreaterThan(1);
    for (const post of posts) expect(post.objects).toBeLessThanOrEqual(2);
    expect((await hub.api('delete', `/forwards/${forward.id}`, 'operator')).status).toBe(204);
  });

  test('bad credentials are reported as the remote\'s 401, without the password', async () => {
    const wrong = 'not-the-ingest-password';
    const forward = await westForward({ credentials: { kind: 'basic', username: INGEST_USER, password: wrong } });
    await hub.submit('alice', 'c2-hostname', [`with-bad-credentials-${engine}.example`]);
    await until(async () => (await forwardOf(forward.id)).delivery.consecutive_failures >= 1);
    const shown = await forwardOf(forward.id);
    expect(shown.delivery.last_error).toMatch(/^the remote TAXII server answered the add objects request with HTTP 401 \(authentication failed: check the forward's credentials\)/);
    expect(JSON.stringify(shown)).not.toContain(wrong);
    expect((await hub.api('delete', `/forwards/${forward.id}`, 'operator')).status).toBe(204);
  });

  test('the outbound guard refuses a destination the organization\'s allow-list does not cover', async () => {
    const token = `east-token-${engine}`;
    const forward = await hub.forward({
      collection: ACME, api_root_url: remote.apiRootUrl, remote_collection: REMOTE_COLLECTION, credentials: { kind: 'bearer', token }, organization: 'acme-east', run_as: 'bob',
    });
    expect(forward.warnings).toEqual([expect.stringContaining("host '127.0.0.1' is not on organization 'acme-east's delivery allow-list")]);
    await hub.submit('bob', 'c2-hostname', [`east-refused-${engine}.example`]);
    await hub.composed.delivery.idle();
    const shown = await forwardOf(forward.id);
    expect(shown.delivery.last_error).toBe("not sent: host '127.0.0.1' is not on the organization's delivery allow-list");
    expect(remote.answers.filter((a) => a.authorization === `Bearer ${token}`)).toEqual([]);
    expect((await hub.api('delete', `/forwards/${forward.id}`, 'operator')).status).toBe(204);
  });
});
