import type { ChangeEvent } from '../../../src/storage/change-feed-store';
import type { DeliveryBatch, DeliveryChannel } from '../../../src/services/delivery/delivery-channel';
import { testEngines } from '../../support/test-databases';
import { COLLECTION_NAME, fullParameters, openDeliveryWorld, REGIONAL_TREE, type DeliveryWorld } from './support/delivery-world';

/**
 * The engine tells a subscriber what its access change did to what it holds: objects it may no
 * longer read arrive as access-lost events (no content), objects it may now read as access-gained
 * events (with content), before anything else; a subscriber cut off from the collection receives
 * its losses and is then paused. Channels see exactly the events, so a recording channel (pushing
 * nothing) observes the engine's decisions.
 */

/** A channel that records every batch it is given and has nothing to send. */
function recordingChannel(): DeliveryChannel & { readonly batches: DeliveryBatch[]; events(): ChangeEvent[] } {
  const batches: DeliveryBatch[] = [];
  return {
    name: 'taxii11-push',
    batches,
    events: () => batches.flatMap((b) => b.events),
    prepare: async (batch) => {
      batches.push(batch);
      return { kind: 'nothing', skipped: batch.events.length };
    },
    judge: () => ({ ok: true }),
  };
}

describe.each(testEngines())('audience changes reach subscribers on %s', (engineName) => {
  let world: DeliveryWorld;

  beforeEach(async () => {
    world = await openDeliveryWorld(engineName);
  });
  afterEach(async () => {
    await world.close();
  });

  async function subscribe(who = world.users.east) {
    const answer = await world.service.manage(who, { collectionName: COLLECTION_NAME, action: 'SUBSCRIBE', parameters: fullParameters, push: { protocolBinding: 'urn:taxii.mitre.org:protocol:http:1.0', address: 'http://127.0.0.1:9/inbox', messageBinding: 'urn:taxii.mitre.org:message:xml:1.1' } });
    return answer.subscriptions[0]?.id ?? '';
  }

  async function setTopology(topology: 'vertical' | 'horizontal', members = ['hq', 'east', 'west']) {
    const group = await world.tenancy.trustGroups.get('regional');
    if (!group) throw new Error('no group');
    await world.tenancy.trustGroups.update({ ...group, topology, members, ...(topology === 'vertical' ? { tree: REGIONAL_TREE } : { tree: {} }) });
    world.policy.invalidate();
  }

  async function until(condition: () => boolean | Promise<boolean>, what: string) {
    const deadline = Date.now() + 10_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  test("a branch that becomes a peer gains its sibling's AMBER indicator, and loses it again when the group goes back to a tree", async () => {
    const channel = recordingChannel();
    const id = await subscribe();
    const engine = world.engine({ scanIntervalMs: 10 }, { channels: [channel] });
    engine.start();
    const own = await world.addIndicator('hq', 'amber');
    await world.addIndicator('west', 'amber'); // a sibling's: east may not read it in the tree
    await until(async () => (await world.subscriptions.get('east', id))?.cursor === (await world.changeFeedEnd()), 'the first delivery');
    const westId = (await world.objectsOf('west'))[0] ?? '';
    expect(channel.events().map((e) => [e.operation, e.position])).toEqual([['created', own]]);

    await setTopology('horizontal');
    await until(() => channel.events().some((e) => e.operation === 'access-gained'), 'the access-gained event');
    const gained = channel.events().filter((e) => e.operation === 'access-gained');
    expect(gained.map((e) => e.objectId)).toEqual([westId]);
    expect(gained[0]?.json).toContain(westId);

    await setTopology('vertical');
    await until(() => channel.events().some((e) => e.operation === 'access-lost'), 'the access-lost event');
    const lost = channel.events().filter((e) => e.operation === 'access-lost');
    expect(lost.map((e) => e.objectId)).toEqual([westId]);
    expect(lost[0]?.json).toBeUndefined();
    expect((await world.subscriptions.get('east', id))?.status).toBe('ACTIVE');
  });

  test('a consumer removed from the group receives the loss of everything it held, then its subscription pauses', async () => {
    const channel = recordingChannel();
    const id = await subscribe();
    const engine = world.engine({ scanIntervalMs: 10 }, { channels: [channel] });
    engine.start();
    const first = await world.addIndicator('hq', 'amber');
    const second = await world.addIndicator('hq', 'green');
    await until(() => channel.events().length === 2, 'two created events');
    expect(channel.events().map((e) => e.position)).toEqual([first, second]);

    await world.tenancy.trustGroups.update({ ...(await world.tenancy.trustGroups.get('regional'))!, members: ['hq', 'west'], tree: { hq: ['west'] } });
    world.policy.invalidate();
    await until(async () => (await world.subscriptions.get('east', id))?.status === 'PAUSED', 'the pause');
    const lost = channel.events().filter((e) => e.operation === 'access-lost');
    expect(lost.map((e) => e.objectId).sort()).toEqual((await world.objectsOf('hq')).sort());
    expect((await world.subscriptions.get('east', id))?.delivery.lastError).toMatch(/may no longer read collection 'regional'/);
  });
});
