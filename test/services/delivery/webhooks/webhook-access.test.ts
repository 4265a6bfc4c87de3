import { HubError } from '../../../../src/domain/errors';
import { COLLECTION_NAME } from '../support/delivery-world';
import { testEngines } from '../../../support/test-databases';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';
import { openWebhookWorld, type WebhookWorld } from './support/webhook-world';

/**
 * Who receives what, and who manages which webhook: access is decided at delivery time (a consumer
 * removed from the group receives access-lost events for what it held, then nothing more), and a
 * webhook is its organization's alone (another organization's org-admin is told it does not exist).
 */

describe.each(testEngines())('webhook access on %s', (engineName) => {
  let world: WebhookWorld;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    world = await openWebhookWorld(engineName);
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await world.close();
    await receiver.close();
  });

  test('a consumer removed from the group mid-way receives access-lost events for what it held, then nothing more', async () => {
    const created = await world.service.register(world.users.eastAdmin, { collection: COLLECTION_NAME, url: receiver.url });
    receiver.secrets = [created.secret];
    const engine = world.engine();
    const held = [await world.addIndicator(), await world.addIndicator({ tlp: 'green' })];
    await receiver.until(() => receiver.acceptedEvents().length === 2, 15_000, 'the two created events');
    await engine.idle(); // the deliveries are recorded: the membership change comes after them

    const group = await world.tenancy.trustGroups.get('regional');
    if (!group) throw new Error('no group');
    await world.tenancy.trustGroups.update({ ...group, members: ['hq', 'west'], tree: { hq: ['west'] } });
    world.policy.invalidate();
    await receiver.until(() => receiver.acceptedEvents().some((e) => e.operation === 'access-lost'), 15_000, 'the access-lost events');
    const lost = receiver.acceptedEvents().filter((e) => e.operation === 'access-lost');
    expect(lost.map((e) => e.object_id).sort()).toEqual(held.map((h) => h.id).sort());
    expect(lost.every((e) => e.object === undefined)).toBe(true);
    expect(receiver.accepted().every((r) => r.verifiedWith === created.secret)).toBe(true);

    // Later writes reach no one: the webhook is paused with the reason.
    await world.addIndicator();
    await engine.idle();
    const { subscription } = await world.service.get(world.users.eastAdmin, created.webhook.id);
    expect(subscription.status).toBe('PAUSED');
    expect(subscription.delivery.lastError).toMatch(/may no longer read collection 'regional'/);
    expect(receiver.acceptedEvents().filter((e) => e.operation === 'created')).toHaveLength(2);
  });

  test("another organization's org-admin cannot see, replay, pause or remove a webhook; a consumer without org-admin cannot manage any", async () => {
    const created = await world.service.register(world.users.eastAdmin, { collection: COLLECTION_NAME, url: receiver.url });
    const id = created.webhook.id;
    const westAdmin = { ...world.users.west, roles: new Set(['consumer', 'org-admin'] as const) };
    const refusal = async (call: Promise<unknown>) => {
      const error = await call.then(() => undefined, (e: unknown) => e);
      return error instanceof HubError ? error.code : error;
    };
    expect(await refusal(world.service.get(westAdmin, id))).toBe('NOT_FOUND');
    expect(await refusal(world.service.attempts(westAdmin, id, 10))).toBe('NOT_FOUND');
    expect(await refusal(world.service.deadLetters(westAdmin, id))).toBe('NOT_FOUND');
    expect(await refusal(world.service.replay(westAdmin, id, '00000000-0000-4000-8000-000000000000'))).toBe('NOT_FOUND');
    expect(await refusal(world.service.setPaused(westAdmin, id, true))).toBe('NOT_FOUND');
    expect(await refusal(world.service.rotateSecret(westAdmin, id))).toBe('NOT_FOUND');
    expect(await refusal(world.service.remove(westAdmin, id))).toBe('NOT_FOUND');
    expect(await world.service.list(westAdmin)).toEqual([]);
    expect(await refusal(world.service.list(westAdmin, 'east'))).toBe('FORBIDDEN');
    expect(await refusal(world.service.get(world.users.east, id))).toBe('FORBIDDEN');
    expect(await refusal(world.service.register(westAdmin, { collection: COLLECTION_NAME, url: receiver.url, organization: 'east' }))).toBe('FORBIDDEN');
    // The owner still has it, untouched.
    expect((await world.service.get(world.users.eastAdmin, id)).subscription.status).toBe('ACTIVE');
    expect((await world.service.list(world.users.eastAdmin)).map((v) => v.webhook.id)).toEqual([id]);
  });

  test('registration checks the URL, the filter and the collection, and says when the allow-list does not cover the host', async () => {
    const refusal = async (body: Record<string, unknown>) => {
      const error = await world.service.register(world.users.eastAdmin, { collection: COLLECTION_NAME, url: receiver.url, ...body }).then(() => undefined, (e: unknown) => e);
      return error instanceof HubError ? [error.code, error.details.problems?.map((p) => p.path)] : error;
    };
    expect(await refusal({ url: 'ftp://hooks.example/x' })).toEqual(['VALIDATION_FAILED', ['url']]);
    expect(await refusal({ url: 'https://user:pw@hooks.example/x' })).toEqual(['VALIDATION_FAILED', ['url']]);
    expect(await refusal({ url: 'not a url' })).toEqual(['VALIDATION_FAILED', ['url']]);
    expect(await refusal({ url: 'http://hooks.example/x' })).toEqual(['VALIDATION_FAILED', ['url']]); // plain http off the allow-list
    expect(await refusal({ kinds: ['c2-ip', 'nonsense'], operations: ['created', 'exploded'] })).toEqual(['VALIDATION_FAILED', ['kinds[1]', 'operations[1]']]);
    expect(await refusal({ collection: 'no-such-collection' })).toEqual(['NOT_FOUND', undefined]);
    const https = await world.service.register(world.users.eastAdmin, { collection: COLLECTION_NAME, url: 'https://hooks.example/in' });
    expect(https.warnings).toEqual(["host 'hooks.example' is not on organization 'east's delivery allow-list: nothing is sent until an operator adds it"]);
    expect(https.secret).toMatch(/^[0-9a-f]{64}$/);
    // The secret is not stored as given.
    const stored = await world.webhooks.get('east', https.webhook.id);
    expect(stored?.sealedSecret).not.toContain(https.secret);
  });
});
