import { changeEventData, sseFrame, sseOpening } from '../../../src/http/hub-api/sse-frames';
import type { ChangeEvent } from '../../../src/storage/change-feed-store';

const event: ChangeEvent = {
  position: 1_764_946_800_123_456,
  collectionId: '948f89cd-d3ab-4b2e-bb60-bdffe702b793',
  objectId: 'indicator--5d3a1a52-0b1f-4b3e-9a5e-1c1b1e1f1a1b',
  type: 'indicator',
  operation: 'created',
  providerOrgId: 'acme-east',
  version: 1_764_946_800_000_000,
  json: '{"type":"indicator","id":"indicator--5d3a1a52-0b1f-4b3e-9a5e-1c1b1e1f1a1b","name":"c2"}',
};

/** The fields of one frame as a client reads them: `data` lines joined with "\n". */
function read(frame: string): { id?: string; event?: string; data: string } {
  expect(frame.endsWith('\n\n')).toBe(true);
  const fields: { id?: string; event?: string; data: string[] } = { data: [] };
  for (const line of frame.slice(0, -2).split('\n')) {
    const [name, ...rest] = line.split(': ');
    const value = rest.join(': ');
    if (name === 'data') fields.data.push(value);
    else if (name === 'id' || name === 'event') fields[name] = value;
  }
  return { ...fields, data: fields.data.join('\n') };
}

describe('server-sent event frames', () => {
  test('a change is id, event (the operation) and one JSON data line with the event id, never the provider', () => {
    const frame = read(sseFrame({ kind: 'change', id: '1764946800123456.abc.def', event }));
    expect(frame.id).toBe('1764946800123456.abc.def');
    expect(frame.event).toBe('created');
    const data = JSON.parse(frame.data) as Record<string, unknown>;
    expect(data).toEqual({
      id: `${event.collectionId}:${event.position}:${event.objectId}`,
      operation: 'created',
      object_id: event.objectId,
      type: 'indicator',
      position: event.position,
      object: { type: 'indicator', id: event.objectId, name: 'c2' },
    });
    expect(frame.data).not.toContain('acme-east');
  });

  test('an object without one (deleted, purged, access-lost) has no object member', () => {
    const { json: _json, ...removal } = event;
    expect(JSON.parse(changeEventData({ ...removal, operation: 'purged' }))).not.toHaveProperty('object');
  });

  test('a value with line breaks becomes several data lines, which a client joins back into the same text', () => {
    const pretty = JSON.stringify({ type: 'indicator', id: event.objectId, description: 'one\r\ntwo' }, null, 2);
    const frame = sseFrame({ kind: 'change', id: 'x', event: { ...event, json: pretty } });
    expect(frame.split('\n').filter((line) => line.startsWith('data: ')).length).toBeGreaterThan(1);
    expect(frame).not.toMatch(/\r/);
    expect(JSON.parse(read(frame).data)).toMatchObject({ object: { description: 'one\r\ntwo' } });
  });

  test('heartbeats and the opening are comments (and the retry field), dispatching no event', () => {
    expect(sseFrame({ kind: 'heartbeat' })).toBe(': heartbeat\n\n');
    expect(sseOpening(3000, 'changes of collection x\nfrom now')).toBe('retry: 3000\n: changes of collection x\n: from now\n\n');
    expect(read(sseFrame({ kind: 'access-revoked', collectionId: 'c' }))).toEqual({ event: 'access-revoked', data: JSON.stringify({ collection: 'c', reason: 'you may no longer read this collection' }) });
  });
});
