import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import { TLP2_MARKING_REFS } from '../../../src/domain/tlp';
import { webhookEvents } from '../../../src/services/delivery/webhooks/webhook-payload';
import { falsePositiveObject, sightingObject } from '../../../src/services/sightings/sighting-objects';
import { createStixValidator } from '../../../src/validation/stix-validator';

/** The STIX objects reports become pass the hub's own validator, and carry nothing but the report. */

const validate = createStixValidator();
const INDICATOR = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const REPORTER = 'identity--0b7a5b1c-3d3e-4f0e-9a61-2d3c8a1e5b70';
const CREATED = '2026-12-06T10:00:00.000Z';

test('a sighting names the indicator, how often and when, and the reporter as where it was sighted', () => {
  const object = sightingObject({ id: 'sighting--6c2f3f43-0e0a-4a43-9b4b-0d3b0e0f1a2b', indicatorId: INDICATOR, count: 3, firstSeen: '2026-12-01T08:15:00.000000Z', lastSeen: '2026-12-01T09:40:00.000000Z' }, REPORTER, CREATED, { tlp: 'amber', recipients: [] });
  expect(validate(object)).toEqual({ ok: true });
  expect(object).toEqual({
    type: 'sighting', spec_version: '2.1', id: 'sighting--6c2f3f43-0e0a-4a43-9b4b-0d3b0e0f1a2b', created: CREATED, modified: CREATED, created_by_ref: REPORTER,
    sighting_of_ref: INDICATOR, count: 3, first_seen: '2026-12-01T08:15:00.000000Z', last_seen: '2026-12-01T09:40:00.000000Z', where_sighted_refs: [REPORTER],
    object_marking_refs: [TLP2_MARKING_REFS.amber],
  });
});

test('a TLP:RED report names its recipients in the hub extension; a false positive is a strongly-disagree opinion with its explanation', () => {
  const object = falsePositiveObject('opinion--6c2f3f43-0e0a-4a43-9b4b-0d3b0e0f1a2b', INDICATOR, 'our own relay', REPORTER, CREATED, { tlp: 'red', recipients: ['acme-hq'] });
  expect(validate(object)).toEqual({ ok: true });
  expect(object).toMatchObject({ opinion: 'strongly-disagree', explanation: 'our own relay', object_refs: [INDICATOR], object_marking_refs: [TLP2_MARKING_REFS.red] });
  expect(object.extensions).toEqual({ [HUB_EXTENSION_ID]: { extension_type: 'property-extension', red_recipients: ['acme-hq'] } });
  expect(object).not.toHaveProperty('authors');
});

test("a webhook's kinds and min_confidence filters let reports about indicators through", () => {
  const event = (type: string, id: string, position: number) => ({ position, collectionId: 'c', objectId: id, type, operation: 'created' as const, providerOrgId: 'east', version: 1, json: JSON.stringify({ type, id }) });
  const events = [event('opinion', 'opinion--1', 1), event('sighting', 'sighting--1', 2), event('identity', 'identity--1', 3)];
  expect(webhookEvents({ kinds: ['url'], operations: [], minConfidence: 50 }, 'c', events).map((e) => e.object_id)).toEqual(['opinion--1', 'sighting--1']);
  expect(webhookEvents({ kinds: [], operations: ['deleted'] }, 'c', events)).toEqual([]);
});
