import { testEngines } from '../../support/test-databases';
import { labelText, startReceiver, type LoopbackReceiver } from './support/loopback-receiver';
import { COLLECTION_NAME, fullParameters, openDeliveryWorld, pushParameters, REGIONAL_TREE, type DeliveryWorld } from './support/delivery-world';

describe.each(testEngines())('push delivery to a loopback receiver on %s', (engineName) => {
  let world: DeliveryWorld;
  let receiver: LoopbackReceiver | undefined;

  beforeEach(async () => {
    world = await openDeliveryWorld(engineName);
  });
  afterEach(async () => {
    await world.close();
    await receiver?.close();
    receiver = undefined;
  });

  async function subscribe(who = world.users.east, address = receiver?.url ?? '') {
    const answer = await world.service.manage(who, { collectionName: COLLECTION_NAME, action: 'SUBSCRIBE', parameters: fullParameters, push: pushParameters(address) });
    return answer.subscriptions[0]?.id ?? '';
  }
  const stored = async (id: string, org = 'east') => {
    const s = await world.subscriptions.get(org, id);
    if (!s) throw new Error('no such subscription');
    return s;
  };
  const receivedLabels = (id?: string) => (receiver?.accepted(id) ?? []).flatMap((p) => p.labels);

  test('pushes what is added after the subscription, in label order, as a TAXII 1.1 Inbox_Message; the cursor moves once the receiver accepted it', async () => {
    const before = await world.addIndicator();
    receiver = await startReceiver();
    const id = await subscribe();
    const engine = world.engine({ batchSize: 2 });
    engine.start();
    const labels = [await world.addIndicator(), await world.addIdentity(), await world.addIndicator(), await world.addIndicator()];
    const indicators = [labels[0], labels[2], labels[3]] as number[];
    await receiver.until(() => receivedLabels(id).length >= 3, 10_000, 'three indicators');
    await engine.idle();

    expect(receivedLabels(id)).toEqual(indicators.map(labelText)); // the identity is not an indicator: never read, never pushed
    expect(receivedLabels(id)).not.toContain(labelText(before));
    const first = receiver.pushes[0];
    expect(first?.headers).toMatchObject({
      'content-type': 'application/xml',
      'x-taxii-content-type': 'urn:taxii.mitre.org:message:xml:1.1',
      'x-taxii-services': 'urn:taxii.mitre.org:services:1.1',
      'x-taxii-protocol': 'urn:taxii.mitre.org:protocol:http:1.0',
    });
    expect(first?.body).toContain(`<taxii_11:Source_Subscription collection_name="${COLLECTION_NAME}">`);
    expect(first?.body).toContain('urn:stix.mitre.org:xml:1.2');
    expect(first?.body).toContain('STIX_Package');
    expect(first?.exclusiveBegin).toBe(labelText(before));
    // Batches follow each other: each begins where the previous one ended, or later when the records
    // between were nothing this subscriber receives (the identity: the cursor moved on without a push).
    const accepted = receiver.accepted(id);
    for (let i = 1; i < accepted.length; i++) expect((accepted[i]?.exclusiveBegin ?? '') >= (accepted[i - 1]?.inclusiveEnd ?? '~')).toBe(true);
    expect(accepted.reduce((n, p) => n + p.recordCount, 0)).toBe(3);

    const s = await stored(id);
    expect(s.cursor).toBe(indicators[2]);
    expect(s.delivery).toMatchObject({ consecutiveFailures: 0, deliveredRecords: 3, lastError: null });
    expect(s.delivery.lastSuccessAt).not.toBeNull();
    const metrics = await world.metrics.registry.getSingleMetricAsString('hub_delivered_records_total');
    expect(metrics).toContain('hub_delivered_records_total{channel="taxii11-push"} 3');
  });

  test('a receiver that fails (HTTP 500, a FAILURE status, a timeout) then recovers receives everything, with no gap', async () => {
    const script = ['http-500', 'status-failure', 'hang', 'not-taxii'] as const;
    receiver = await startReceiver((_push, index) => script[index] ?? 'success');
    const id = await subscribe();
    const engine = world.engine({}, { totalTimeoutMs: 300 });
    engine.start();
    const labels = [await world.addIndicator(), await world.addIndicator()];
    await receiver.until(() => receiver?.pushes.length === 2, 10_000, 'two failed pushes');
    const failed = await stored(id);
    expect(failed.cursor).toBeLessThan(labels[0] as number); // nothing accepted: the cursor stays
    expect(failed.delivery.consecutiveFailures).toBeGreaterThanOrEqual(1);
    expect(failed.delivery.lastError).toMatch(/HTTP 500 \(FAILURE\)|status FAILURE: disk full/);
    labels.push(await world.addIndicator());
    await receiver.until(() => receivedLabels(id).includes(labelText(labels[2] as number)), 15_000, 'the recovered receiver to get the third indicator');
    await engine.idle();

    // Every label arrived; one may repeat after a failure, none is missing, and they arrived in order.
    const got = receivedLabels(id);
    expect([...new Set(got)]).toEqual(labels.map(labelText));
    const answers = receiver.pushes.map((p) => p.answer);
    expect(answers.slice(0, 4)).toEqual(['http-500', 'status-failure', 'hang', 'not-taxii']);
    const s = await stored(id);
    expect(s.cursor).toBe(labels[2]);
    expect(s.delivery.consecutiveFailures).toBe(0);
    expect(s.delivery.lastError).toContain('without a TAXII Status_Message'); // the last error stays for the record
  });

  test('access is decided at delivery time: a consumer that leaves the trust group is paused with a reason and receives nothing more', async () => {
    receiver = await startReceiver();
    const id = await subscribe();
    const engine = world.engine();
    engine.start();
    const first = await world.addIndicator();
    await receiver.until(() => receivedLabels(id).includes(labelText(first)), 10_000, 'the first indicator');

    // A sibling's AMBER is not readable by east: passed over, the cursor still moves past it.
    const westAmber = await world.addIndicator('west', 'amber');
    const westGreen = await world.addIndicator('west', 'green');
    await receiver.until(() => receivedLabels(id).includes(labelText(westGreen)), 10_000, "west's GREEN indicator");
    expect(receivedLabels(id)).not.toContain(labelText(westAmber));

    // The operator takes east out of the group.
    const group = await world.tenancy.trustGroups.get('regional');
    if (!group) throw new Error('no group');
    await world.tenancy.trustGroups.update({ ...group, members: ['hq', 'west'], tree: { hq: ['west'] } });
    world.policy.invalidate(); // what the admin service does after a structural change
    const after = await world.addIndicator('hq', 'green');
    await waitFor(async () => (await stored(id)).status === 'PAUSED', 'the subscription to be paused');
    await engine.idle();
    expect(receivedLabels(id)).not.toContain(labelText(after));
    expect((await stored(id)).delivery.lastError).toContain("may no longer read collection 'regional'");
    await world.tenancy.trustGroups.update({ ...group, tree: REGIONAL_TREE });
  });

  test('PAUSE stops pushes; RESUME delivers the backlog', async () => {
    receiver = await startReceiver();
    const id = await subscribe();
    const engine = world.engine();
    engine.start();
    const pause = await world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'PAUSE', subscriptionId: id });
    expect(pause.subscriptions[0]?.status).toBe('PAUSED');
    const backlog = [await world.addIndicator(), await world.addIndicator()];
    await engine.idle();
    const status = await world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'STATUS', subscriptionId: id });
    expect(status.subscriptions[0]?.delivery).toMatchObject({ backlog: 2, lastSuccessAt: null });
    expect(receiver.pushes).toEqual([]);

    await world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'RESUME', subscriptionId: id });
    await receiver.until(() => receivedLabels(id).length === 2, 10_000, 'the backlog');
    expect(receivedLabels(id)).toEqual(backlog.map(labelText));
    await engine.idle();
    const after = await world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'STATUS', subscriptionId: id });
    expect(after.subscriptions[0]?.delivery).toMatchObject({ backlog: 0, deliveredRecords: 2 });
  });

  test('an indicator without a STIX 1.x form is passed over and counted; a COUNT_ONLY subscription gets the count without blocks', async () => {
    receiver = await startReceiver();
    const full = await subscribe();
    const countOnly = (await world.service.manage(world.users.west, {
      collectionName: COLLECTION_NAME, action: 'SUBSCRIBE', parameters: { ...fullParameters, responseType: 'COUNT_ONLY' }, push: pushParameters(receiver.url),
    })).subscriptions[0]?.id ?? '';
    const engine = world.engine();
    engine.start();
    const yara = await world.addUnmappableIndicator();
    const labels = [await world.addIndicator('hq', 'green'), await world.addIndicator('hq', 'green')];
    await receiver.until(() => receivedLabels(full).length === 2 && (receiver?.accepted(countOnly).reduce((n, p) => n + p.recordCount, 0) ?? 0) === 2, 10_000, 'both subscriptions');
    await engine.idle();

    expect(receivedLabels(full)).toEqual(labels.map(labelText));
    expect(receivedLabels(full)).not.toContain(labelText(yara));
    expect(receivedLabels(countOnly)).toEqual([]);
    expect(receiver.accepted(countOnly).every((p) => !p.body.includes('Content_Block'))).toBe(true);
    for (const [id, org] of [[full, 'east'], [countOnly, 'west']] as const) expect((await stored(id, org)).cursor).toBe(labels[1]);
    const skipped = await world.metrics.registry.getSingleMetricAsString('hub_delivery_skipped_records_total');
    expect(skipped).toMatch(/hub_delivery_skipped_records_total\{channel="taxii11-push"\} [1-9]/);
  });

  test('stop() lets the delivery in flight finish (and record its success) before it resolves', async () => {
    let release: () => void = () => undefined;
    let arrived: () => void = () => undefined;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    receiver = await startReceiver(() => new Promise((resolve) => {
      arrived();
      release = () => resolve('success');
    }));
    const id = await subscribe();
    const engine = world.engine();
    engine.start();
    const label = await world.addIndicator();
    await inFlight;
    let stopped = false;
    const stopping = engine.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect((await stored(id)).cursor).toBe(label);
  });

  test('a delivery address the allow-list does not cover is not contacted; the error says why', async () => {
    receiver = await startReceiver();
    const id = await subscribe();
    // The operator narrows east's allow-list after the subscription was made.
    await world.tenancy.organizations.update({ id: 'east', name: 'east', parentId: null, managedBy: 'admin', deliveryAllowList: ['feeds.east.example'] });
    const engine = world.engine();
    engine.start();
    await world.addIndicator();
    await waitFor(async () => (await stored(id)).delivery.lastError !== null, 'a refused delivery');
    expect((await stored(id)).delivery.lastError).toBe("not sent: host '127.0.0.1' is not on the organization's delivery allow-list");
    expect(receiver.pushes).toEqual([]);
  });
});

/** Polls a database condition (no event to wait on) at a short interval, up to a bound. */
async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
