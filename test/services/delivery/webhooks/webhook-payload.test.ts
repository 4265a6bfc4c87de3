import { HUB_EXTENSION_ID } from '../../../../src/domain/hub-extension';
import { webhookEvents } from '../../../../src/services/delivery/webhooks/webhook-payload';
import type { ChangeEvent, ChangeOperation } from '../../../../src/storage/change-feed-store';
import type { WebhookFilter } from '../../../../src/storage/webhook-store';

/** Which events a webhook's filter lets through, and how each is written. */

const COLLECTION = 'c0ffee00-0000-4000-8000-000000000001';
let position = 1_000;

function event(operation: ChangeOperation, object?: Record<string, unknown>, type = 'indicator'): ChangeEvent {
  position += 1;
  const objectId = String(object?.id ?? `${type}--${position}`);
  return { position, collectionId: COLLECTION, objectId, type, operation, providerOrgId: 'hq', version: 1, ...(object ? { json: JSON.stringify(object) } : {}) };
}
const indicator = (kind: string, confidence?: number) => ({
  type: 'indicator', id: `indicator--${kind}-${confidence ?? 'none'}-${position}`, ...(confidence !== undefined ? { confidence } : {}),
  extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', kind } },
});
const none: WebhookFilter = { kinds: [], operations: [] };
const ops = (filter: WebhookFilter, events: ChangeEvent[]) => webhookEvents(filter, COLLECTION, events).map((e) => `${e.operation}:${e.object_id}`);

test('without a filter every event is written, with a stable id and the stored object; removals carry no object', () => {
  const created = event('created', indicator('c2-ip', 90));
  const purged = event('purged');
  const written = webhookEvents(none, COLLECTION, [created, purged]);
  expect(written).toEqual([
    { id: `${COLLECTION}:${created.position}:${created.objectId}`, operation: 'created', object_id: created.objectId, type: 'indicator', position: created.position, object: JSON.parse(created.json ?? '') },
    { id: `${COLLECTION}:${purged.position}:${purged.objectId}`, operation: 'purged', object_id: purged.objectId, type: 'indicator', position: purged.position },
  ]);
});

test('kinds keep indicators of those kinds; other objects and kinds are left out', () => {
  const ip = event('created', indicator('c2-ip'));
  const url = event('created', indicator('url'));
  const identity = event('created', { type: 'identity', id: 'identity--1', name: 'x' }, 'identity');
  expect(ops({ kinds: ['c2-ip'], operations: [] }, [ip, url, identity])).toEqual([`created:${ip.objectId}`]);
});

test('min_confidence keeps objects with at least that confidence; objects without one are left out', () => {
  const high = event('created', indicator('c2-ip', 80));
  const exact = event('updated', indicator('c2-ip', 60));
  const low = event('created', indicator('c2-ip', 59));
  const unknown = event('created', indicator('c2-ip'));
  expect(ops({ kinds: [], operations: [], minConfidence: 60 }, [high, exact, low, unknown])).toEqual([`created:${high.objectId}`, `updated:${exact.objectId}`]);
});

test('operations apply to every event; removals without the object pass kinds and confidence', () => {
  const created = event('created', indicator('url', 10));
  const revoked = event('revoked', indicator('c2-ip', 90));
  const lost = event('access-lost');
  const deleted = event('deleted');
  const filter: WebhookFilter = { kinds: ['c2-ip'], operations: ['revoked', 'access-lost'], minConfidence: 50 };
  expect(ops(filter, [created, revoked, lost, deleted])).toEqual([`revoked:${revoked.objectId}`, `access-lost:${lost.objectId}`]);
});

test('an event whose stored JSON cannot be read is not sent', () => {
  const broken: ChangeEvent = { ...event('created', indicator('c2-ip')), json: '{not json' };
  expect(ops(none, [broken])).toEqual([]);
});
