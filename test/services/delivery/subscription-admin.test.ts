import { isHubError } from '../../../src/domain/errors';
import { localOperator } from '../../../src/domain/principal';
import { subscriptionJson } from '../../../src/http/admin/representations';
import { createAdminService } from '../../../src/services/admin';
import { COLLECTION_ID, COLLECTION_NAME, fullParameters, openDeliveryWorld, pushParameters, type DeliveryWorld } from './support/delivery-world';

describe('subscriptions and delivery allow-lists in the admin API', () => {
  let world: DeliveryWorld;
  let admin: ReturnType<typeof createAdminService>;
  const operator = localOperator('tester');

  beforeAll(async () => {
    world = await openDeliveryWorld('pglite');
    admin = createAdminService({ store: world.tenancy, policy: world.policy, subscriptions: { store: world.subscriptions, deliveryStatus: (s) => world.service.deliveryStatus(s) } });
    await world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'SUBSCRIBE', parameters: fullParameters, push: pushParameters('http://127.0.0.1:9/in') });
    await world.service.manage(world.users.west, { collectionName: COLLECTION_NAME, action: 'SUBSCRIBE', parameters: fullParameters });
    await world.addIndicator('hq', 'green');
  });
  afterAll(() => world.close());

  const codeOf = async (promise: Promise<unknown>) => promise.then(() => 'ok', (error: unknown) => (isHubError(error) ? error.code : 'thrown'));

  test('an operator lists every subscription with its delivery status; filters by organization and collection', async () => {
    const all = await admin.subscriptions.list(operator, {});
    expect(all.map((s) => s.subscription.organizationId).sort()).toEqual(['east', 'west']);
    const east = (await admin.subscriptions.list(operator, { organizationId: 'east', collectionId: COLLECTION_ID })).map(subscriptionJson);
    expect(east).toEqual([
      expect.objectContaining({
        organization: 'east',
        collection_name: COLLECTION_NAME,
        channel: 'taxii11-push',
        status: 'ACTIVE',
        push: { protocol_binding: 'urn:taxii.mitre.org:protocol:http:1.0', address: 'http://127.0.0.1:9/in', message_binding: 'urn:taxii.mitre.org:message:xml:1.1' },
        delivery: expect.objectContaining({ backlog: 1, consecutive_failures: 0, last_error: null, last_success_at: null, delivered_records: 0 }),
      }),
    ]);
    expect((await admin.subscriptions.list(operator, { collectionId: 'not-a-uuid' }))).toEqual([]);
  });

  test("an org-admin sees its own organization's subscriptions only; a consumer none", async () => {
    expect((await admin.subscriptions.list(world.users.eastAdmin, {})).map((s) => s.subscription.organizationId)).toEqual(['east']);
    expect(await codeOf(admin.subscriptions.list(world.users.eastAdmin, { organizationId: 'west' }))).toBe('NOT_FOUND');
    expect(await codeOf(admin.subscriptions.list(world.users.east, {}))).toBe('FORBIDDEN');
  });

  test('an operator sets an organization\'s delivery allow-list; an invalid entry is refused with its path', async () => {
    const updated = await admin.organizations.update(operator, 'west', { deliveryAllowList: ['inbox.west.example', '198.51.100.0/24'] });
    expect(updated.deliveryAllowList).toEqual(['inbox.west.example', '198.51.100.0/24']);
    expect((await world.tenancy.organizations.get('west'))?.deliveryAllowList).toEqual(['inbox.west.example', '198.51.100.0/24']);
    // A change that does not name it keeps it.
    await admin.organizations.update(operator, 'west', { name: 'West' });
    expect((await world.tenancy.organizations.get('west'))?.deliveryAllowList).toEqual(['inbox.west.example', '198.51.100.0/24']);
    try {
      await admin.organizations.update(operator, 'west', { deliveryAllowList: ['ok.example', 'http://bad'] });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(isHubError(error) && error.details.problems).toEqual([{ path: 'delivery_allow_list[1]', message: expect.stringContaining("'http://bad'") }]);
    }
    expect(await codeOf(admin.organizations.update(world.users.eastAdmin, 'east', { deliveryAllowList: ['anything.example'] }))).toBe('FORBIDDEN');
  });
});
