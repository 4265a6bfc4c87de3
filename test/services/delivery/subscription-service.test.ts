import { isHubError, type ErrorCode } from '../../../src/domain/errors';
import { describeDeliveryStatus, type SubscriptionRequest } from '../../../src/services/delivery/subscription-service';
import { testEngines } from '../../support/test-databases';
import { COLLECTION_NAME, fullParameters, openDeliveryWorld, pushParameters, type DeliveryWorld } from './support/delivery-world';

const INBOX = 'http://127.0.0.1:9999/inbox';
const subscribe = (overrides: Partial<SubscriptionRequest> = {}): SubscriptionRequest => ({ collectionName: COLLECTION_NAME, action: 'SUBSCRIBE', parameters: fullParameters, push: pushParameters(INBOX), ...overrides });

describe.each(testEngines())('subscription management on %s', (engineName) => {
  let world: DeliveryWorld;
  beforeAll(async () => {
    world = await openDeliveryWorld(engineName);
  });
  afterAll(() => world.close());

  async function refusal(promise: Promise<unknown>): Promise<{ code: ErrorCode; description: string; statusDetails: unknown }> {
    try {
      await promise;
    } catch (error) {
      if (isHubError(error)) return { code: error.code, description: error.message, statusDetails: error.details.statusDetails };
      throw error;
    }
    throw new Error('expected a refusal');
  }
  const subscriptionCount = async () => (await world.subscriptions.list({})).length;

  test('SUBSCRIBE answers the new subscription; the identical SUBSCRIBE answers the same id; UNSUBSCRIBE removes it', async () => {
    const first = await world.service.manage(world.users.east, subscribe());
    expect(first).toMatchObject({ collectionName: COLLECTION_NAME, subscriptions: [{ status: 'ACTIVE', responseType: 'FULL', push: pushParameters(INBOX) }] });
    const id = first.subscriptions[0]?.id ?? '';
    const again = await world.service.manage(world.users.east, subscribe());
    expect(again.subscriptions.map((s) => s.id)).toEqual([id]);
    const poll = await world.service.manage(world.users.east, subscribe({ push: undefined }));
    expect(poll.subscriptions[0]?.id).not.toBe(id);
    expect(poll.subscriptions[0]?.push).toBeUndefined(); // polled by id: no Push_Parameters (SB-06)

    const gone = await world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'UNSUBSCRIBE', subscriptionId: id });
    expect(gone.subscriptions).toMatchObject([{ id, status: 'UNSUBSCRIBED' }]);
    expect(await world.subscriptions.get('east', id)).toBeUndefined();
    // SB-03 (3): an unknown id is a success too.
    const unknown = await world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'UNSUBSCRIBE', subscriptionId: 'no-such-id' });
    expect(unknown.subscriptions).toEqual([{ id: 'no-such-id', status: 'UNSUBSCRIBED' }]);
    await world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'UNSUBSCRIBE', subscriptionId: poll.subscriptions[0]?.id ?? '' });
  });

  test('a new subscription starts at the collection\'s current end: it delivers what is added after it', async () => {
    const label = await world.addIndicator();
    const answer = await world.service.manage(world.users.east, subscribe({ push: pushParameters('http://127.0.0.1:9998/new') }));
    const id = answer.subscriptions[0]?.id ?? '';
    expect((await world.subscriptions.get('east', id))?.cursor).toBe(label);
    await world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'UNSUBSCRIBE', subscriptionId: id });
  });

  test('another organization\'s subscription is not found and never listed; its own STATUS lists only its own', async () => {
    const mine = (await world.service.manage(world.users.east, subscribe())).subscriptions[0]?.id ?? '';
    const theirs = (await world.service.manage(world.users.west, subscribe())).subscriptions[0]?.id ?? '';
    for (const action of ['PAUSE', 'RESUME', 'STATUS'] as const) {
      expect(await refusal(world.service.manage(world.users.west, { collectionName: COLLECTION_NAME, action, subscriptionId: mine }))).toMatchObject({
        code: 'NOT_FOUND',
        statusDetails: [{ name: 'ITEM', value: mine }],
      });
    }
    // UNSUBSCRIBE of someone else's id answers success and leaves it alone.
    await world.service.manage(world.users.west, { collectionName: COLLECTION_NAME, action: 'UNSUBSCRIBE', subscriptionId: mine });
    expect(await world.subscriptions.get('east', mine)).toBeDefined();

    const eastStatus = await world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'STATUS' });
    expect(eastStatus.subscriptions.map((s) => s.id)).toEqual([mine]);
    // Another user of the same organization sees the organization's subscriptions.
    const adminStatus = await world.service.manage(world.users.eastAdmin, { collectionName: COLLECTION_NAME, action: 'STATUS' });
    expect(adminStatus.subscriptions.map((s) => s.id)).toEqual([mine]);
    expect(adminStatus.subscriptions[0]?.delivery).toMatchObject({ backlog: 0, lastError: null, deliveredRecords: 0 });
    expect(describeDeliveryStatus(adminStatus.subscriptions)).toBe(`subscription ${mine}: active; last delivery never; backlog 0`);
    for (const [who, id] of [[world.users.east, mine], [world.users.west, theirs]] as const) {
      await world.service.manage(who, { collectionName: COLLECTION_NAME, action: 'UNSUBSCRIBE', subscriptionId: id });
    }
  });

  test("a poll by subscription id finds the organization's own subscription with its parameters, never another's", async () => {
    const mine = (await world.service.manage(world.users.east, subscribe({ push: undefined }))).subscriptions[0]?.id ?? '';
    const theirs = (await world.service.manage(world.users.west, subscribe({ push: undefined }))).subscriptions[0]?.id ?? '';
    expect(await world.service.find(world.users.eastAdmin, COLLECTION_NAME, mine)).toMatchObject({ id: mine, organizationId: 'east', responseType: 'FULL', channel: 'taxii11-poll' });
    for (const id of [theirs, 'no-such-id']) {
      const refused = await refusal(world.service.find(world.users.east, COLLECTION_NAME, id));
      expect(refused).toMatchObject({ code: 'NOT_FOUND', statusDetails: [{ name: 'ITEM', value: id }] });
    }
    for (const [who, id] of [[world.users.east, mine], [world.users.west, theirs]] as const) {
      await world.service.manage(who, { collectionName: COLLECTION_NAME, action: 'UNSUBSCRIBE', subscriptionId: id });
    }
  });

  test('PAUSE of a paused and RESUME of an active subscription succeed without change', async () => {
    const id = (await world.service.manage(world.users.east, subscribe())).subscriptions[0]?.id ?? '';
    const resume = await world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'RESUME', subscriptionId: id });
    expect(resume.subscriptions).toMatchObject([{ id, status: 'ACTIVE' }]);
    for (let i = 0; i < 2; i++) {
      const pause = await world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'PAUSE', subscriptionId: id });
      expect(pause.subscriptions).toMatchObject([{ id, status: 'PAUSED' }]);
    }
    expect((await world.subscriptions.get('east', id))?.status).toBe('PAUSED');
    await world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'UNSUBSCRIBE', subscriptionId: id });
  });

  test.each<[string, Partial<SubscriptionRequest>, ErrorCode, string]>([
    ['an unsupported protocol binding', { push: { ...pushParameters(INBOX), protocolBinding: 'urn:example:smtp' } }, 'UNSUPPORTED_PROTOCOL_BINDING', "protocol binding 'urn:example:smtp'"],
    ['an unsupported message binding', { push: { ...pushParameters(INBOX), messageBinding: 'urn:taxii.mitre.org:message:json:1.1' } }, 'UNSUPPORTED_MESSAGE_BINDING', 'message binding'],
    ['a query', { parameters: { ...fullParameters, query: true } }, 'UNSUPPORTED_QUERY', 'no query'],
    ['a content binding other than STIX 1.1.1/1.2', { parameters: { ...fullParameters, contentBindings: [{ bindingId: 'urn:stix.mitre.org:xml:1.0', subtypes: [] }] } }, 'UNSUPPORTED_CONTENT_BINDING', "'urn:stix.mitre.org:xml:1.0' is not offered"],
    ['an address off the allow-list', { push: pushParameters('http://10.0.0.1/inbox') }, 'FORBIDDEN', "host '10.0.0.1' is not on the delivery allow-list of organization 'east'"],
    ['an https address for the http binding', { push: pushParameters('https://127.0.0.1/inbox') }, 'UNSUPPORTED_PROTOCOL_BINDING', 'must be an http URL'],
  ])('SUBSCRIBE with %s is refused and changes nothing', async (_what, overrides, code, fragment) => {
    const before = await subscriptionCount();
    const refused = await refusal(world.service.manage(world.users.east, subscribe(overrides)));
    expect(refused.code).toBe(code);
    expect(refused.description).toContain(fragment);
    expect(await subscriptionCount()).toBe(before);
  });

  test('a refused content binding names the supported ones', async () => {
    const refused = await refusal(world.service.manage(world.users.east, subscribe({ parameters: { ...fullParameters, contentBindings: [{ bindingId: 'urn:example:csv', subtypes: [] }] } })));
    expect(refused.statusDetails).toEqual([
      { name: 'SUPPORTED_CONTENT', value: 'urn:stix.mitre.org:xml:1.2' },
      { name: 'SUPPORTED_CONTENT', value: 'urn:stix.mitre.org:xml:1.1.1' },
    ]);
  });

  test('SB-03 order: unauthenticated, then an unknown collection, before anything about the subscription', async () => {
    expect((await refusal(world.service.manage(undefined, subscribe()))).code).toBe('AUTHENTICATION_REQUIRED');
    expect((await refusal(world.service.manage(world.users.east, subscribe({ collectionName: 'nowhere', parameters: { ...fullParameters, query: true } })))).code).toBe('NOT_FOUND');
    expect((await refusal(world.service.manage(world.users.east, { collectionName: 'nowhere', action: 'UNSUBSCRIBE', subscriptionId: 'x' }))).code).toBe('NOT_FOUND');
    // A missing Subscription_ID where one is required (SB-01).
    expect((await refusal(world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'PAUSE' }))).code).toBe('BAD_REQUEST');
  });
});
