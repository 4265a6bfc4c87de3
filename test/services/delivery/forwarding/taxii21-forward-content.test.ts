import { HUB_EXTENSION_ID } from '../../../../src/domain/hub-extension';
import { TLP2_MARKING_REFS } from '../../../../src/domain/tlp';
import type { ChangeEvent, ChangeOperation } from '../../../../src/storage/change-feed-store';
import { missingCreators, missingMarkingDefinitions, packEnvelopes, selectForwarded } from '../../../../src/services/delivery/forwarding/taxii21-forward-content';
import { readRemoteAnswer } from '../../../../src/services/delivery/forwarding/taxii21-forward-answers';

/** What a forward sends of change events, how it packs them, and how it reads the remote's answers. */

let position = 0;
function event(operation: ChangeOperation, object: Record<string, unknown> | undefined, objectId = String(object?.id)): ChangeEvent {
  position += 1;
  return {
    position, collectionId: 'c', objectId, type: String(object?.type ?? 'indicator'), operation, providerOrgId: 'hq', version: position,
    ...(object !== undefined ? { json: JSON.stringify(object) } : {}),
  };
}

const indicator = (n: number, extra: Record<string, unknown> = {}) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--00000000-0000-4000-8000-00000000000${n}`, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z',
  pattern: `[domain-name:value = 'x${n}.example']`, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z', ...extra,
});

describe('what a forward sends of change events', () => {
  test('versions (revocations included) and newly readable heads go as the objects they carry; removals and expiries are skipped and counted', () => {
    const revoked = indicator(2, { revoked: true, modified: '2026-02-01T00:00:00.000Z' });
    const events = [
      event('created', indicator(1)),
      event('revoked', revoked),
      event('access-gained', indicator(3)),
      event('expired', indicator(4)),
      event('deleted', undefined, indicator(5).id),
      event('purged', undefined, indicator(6).id),
      event('access-lost', undefined, indicator(7).id),
    ];
    const selection = selectForwarded(events, {});
    expect(selection.objects.map((o) => o.id)).toEqual([indicator(1).id, revoked.id, indicator(3).id]);
    expect(selection.objects[1]).toMatchObject({ revoked: true });
    expect(selection.skipped).toBe(4);
  });

  test("the hub extension's definition is not sent (every taxii-hub holds its own under the same id)", () => {
    const definition = { type: 'extension-definition', spec_version: '2.1', id: HUB_EXTENSION_ID, created: '2026-12-06T00:00:00.000Z', modified: '2026-12-06T00:00:00.000Z' };
    expect(selectForwarded([event('created', definition), event('created', indicator(1))], {})).toMatchObject({ objects: [{ id: indicator(1).id }], skipped: 1 });
  });

  test('the filter keeps the types asked for, and indicators of the kinds asked for', () => {
    const domain = indicator(1, { extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', kind: 'domain' } } });
    const url = indicator(2, { extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', kind: 'url' } } });
    const identity = { type: 'identity', spec_version: '2.1', id: 'identity--00000000-0000-4000-8000-000000000009', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'x' };
    const events = [event('created', domain), event('created', url), event('created', identity)];
    expect(selectForwarded(events, { kinds: ['domain'] }).objects.map((o) => o.id)).toEqual([domain.id, identity.id]);
    expect(selectForwarded(events, { types: ['identity'] })).toMatchObject({ objects: [{ id: identity.id }], skipped: 2 });
  });

  test('what the objects name and do not carry: creators to read, TLP marking-definitions to add', () => {
    const creator = 'identity--00000000-0000-4000-8000-0000000000aa';
    const objects = [indicator(1, { created_by_ref: creator, object_marking_refs: [TLP2_MARKING_REFS.amber] })];
    expect(missingCreators(objects)).toEqual([creator]);
    expect(missingMarkingDefinitions(objects).map((d) => d.id)).toEqual([TLP2_MARKING_REFS.amber]);
    expect(missingCreators([...objects, { type: 'identity', id: creator }])).toEqual([]);
  });

  test('envelopes hold at most max objects and about max bytes; an object larger than max bytes goes alone', () => {
    const objects = [1, 2, 3, 4, 5].map((n) => indicator(n));
    expect(packEnvelopes(objects, 2, 1_000_000).map((b) => (JSON.parse(b) as { objects: unknown[] }).objects.length)).toEqual([2, 2, 1]);
    const big = indicator(6, { description: 'x'.repeat(5_000) });
    const bodies = packEnvelopes([indicator(1), big, indicator(2)], 100, 2_000);
    expect(bodies.map((b) => (JSON.parse(b) as { objects: { id: string }[] }).objects.map((o) => o.id))).toEqual([[indicator(1).id], [big.id], [indicator(2).id]]);
  });
});

describe("how a forward reads the remote's answers", () => {
  const answer = (status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/taxii+json;version=2.1' }) =>
    readRemoteAnswer({ kind: 'response', status, headers, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), truncated: false }, 'add objects');

  test('complete without failures is delivered; pending names the status to check', () => {
    expect(answer(202, { id: 's1', status: 'complete', total_count: 2, success_count: 2, failure_count: 0, pending_count: 0 })).toEqual({ kind: 'complete', successes: 2 });
    expect(answer(202, { id: 's2', status: 'pending', total_count: 2, success_count: 0, failure_count: 0, pending_count: 2 })).toEqual({ kind: 'pending', statusId: 's2' });
  });

  test('failures are named, the first few with their messages', () => {
    const failures = [1, 2, 3, 4].map((n) => ({ id: `indicator--${n}`, version: 'v', message: `refused ${n}` }));
    expect(answer(202, { id: 's', status: 'complete', total_count: 6, success_count: 2, failure_count: 4, pending_count: 0, failures })).toEqual({
      kind: 'failed',
      error: 'the remote TAXII server refused 4 of 6 objects: indicator--1 (refused 1); indicator--2 (refused 2); indicator--3 (refused 3); and 1 more',
    });
  });

  test('HTTP errors, redirects and answers that are not TAXII are failures in words an operator acts on', () => {
    expect(answer(401, { title: 'Authentication required' })).toEqual({ kind: 'failed', error: "the remote TAXII server answered the add objects request with HTTP 401 (authentication failed: check the forward's credentials): Authentication required" });
    expect(answer(404, '<html>nope</html>', { 'content-type': 'text/html' })).toEqual({ kind: 'failed', error: 'the remote TAXII server answered the add objects request with HTTP 404 (not found: check the API root URL and the collection id)' });
    expect(answer(302, '', { location: 'https://elsewhere.example/' })).toMatchObject({ kind: 'failed', error: expect.stringContaining('a redirect to https://elsewhere.example/; redirects are not followed') });
    expect(answer(200, '<html>a login page</html>', { 'content-type': 'text/html' })).toEqual({
      kind: 'failed', error: 'the remote TAXII server answered the add objects request with HTTP 200 without a TAXII 2.1 status resource (Content-Type text/html); is the API root URL right?',
    });
  });
});
