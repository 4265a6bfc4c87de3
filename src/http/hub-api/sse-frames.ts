import type { ChangeEvent } from '../../storage/change-feed-store';
import type { StreamMessage } from '../../services/streams/stream-messages';

/**
 * Server-sent events as the WHATWG HTML standard (§9.2 "Server-sent events") defines the
 * text/event-stream format: fields `id`, `event`, `data` (one line each; a value with line breaks
 * becomes several `data:` lines, which the client joins with "\n"), `retry`, and comment lines
 * starting with a colon; a blank line dispatches the event.
 */

/** The `data` of a change event: what a consumer may know of it (never the provider organization). */
export function changeEventData(event: ChangeEvent): string {
  const head = {
    id: `${event.collectionId}:${event.position}:${event.objectId}`,
    operation: event.operation,
    object_id: event.objectId,
    type: event.type,
    position: event.position,
  };
  const text = JSON.stringify(head);
  // The stored object is JSON text already: spliced in, not parsed and written again.
  return event.json === undefined ? text : `${text.slice(0, -1)},"object":${event.json}}`;
}

/** One field line per line of `value` (CR LF, LF and CR all end a line for the client). */
function field(name: string, value: string): string {
  return value
    .split(/\r\n|\r|\n/)
    .map((line) => `${name}: ${line}\n`)
    .join('');
}

export function sseFrame(message: StreamMessage): string {
  switch (message.kind) {
    case 'change':
      return `${field('id', message.id)}${field('event', message.event.operation)}${field('data', changeEventData(message.event))}\n`;
    case 'heartbeat':
      return ': heartbeat\n\n';
    case 'access-revoked':
      return `${field('event', 'access-revoked')}${field('data', JSON.stringify({ collection: message.collectionId, reason: 'you may no longer read this collection' }))}\n`;
  }
}

/** The first bytes of a stream: the reconnection delay and a comment naming what follows. */
export function sseOpening(retryMs: number, comment: string): string {
  const comments = comment.split(/\r\n|\r|\n/).map((line) => `: ${line}\n`).join('');
  return `retry: ${retryMs}\n${comments}\n`;
}
