import type { ReceivedResponse } from '../delivery-channel';

/**
 * How a forward reads the remote TAXII 2.1 server's answers (TAXII 2.1 §5.5 Add Objects: 202 with a
 * status resource; §4.3 Get Status). Every failure is described for last_error in words an operator
 * can act on, with at most a short, printable excerpt of what the remote said (never a whole body,
 * never a credential).
 */

export type RemoteAnswer =
  | { readonly kind: 'complete'; readonly successes: number }
  | { readonly kind: 'pending'; readonly statusId: string }
  | { readonly kind: 'failed'; readonly error: string };

/** Failures named in last_error, at most. */
const FAILURES_NAMED = 3;

const MEANINGS: Readonly<Record<number, string>> = {
  400: 'bad request',
  401: "authentication failed: check the forward's credentials",
  403: 'forbidden: these credentials may not add objects to the remote collection',
  404: 'not found: check the API root URL and the collection id',
  406: 'not acceptable: the remote does not answer in TAXII 2.1',
  413: "request too large: lower the forward's max_bytes",
  415: 'unsupported media type: the remote does not take TAXII 2.1 envelopes',
  422: 'unprocessable',
  429: 'too many requests',
};

function meaning(status: number): string {
  return MEANINGS[status] ?? (status >= 500 ? 'server error' : 'refused');
}

/** Text from a remote, made safe to store and show: printable characters only, cut short. */
export function excerpt(text: string, max: number): string {
  const printable = text.replace(/[^\x20-\x7e]+/g, ' ').trim();
  return printable.length > max ? `${printable.slice(0, max - 1)}…` : printable;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A TAXII error resource's title and description, when the body is one. */
function errorResourceText(body: Buffer): string | undefined {
  const parsed = parseJson(body);
  if (!isRecord(parsed)) return undefined;
  const parts = [parsed.title, parsed.description].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return parts.length > 0 ? excerpt(parts.join(': '), 160) : undefined;
}

/** `what` names the request in messages: 'add objects' (POST) or 'status' (GET). */
export function readRemoteAnswer(response: ReceivedResponse, what: 'add objects' | 'status'): RemoteAnswer {
  const prefix = `the remote TAXII server answered the ${what} request with HTTP ${response.status}`;
  if (response.status >= 300 && response.status < 400) {
    const location = typeof response.headers.location === 'string' ? ` to ${excerpt(response.headers.location, 120)}` : '';
    return { kind: 'failed', error: `${prefix}, a redirect${location}; redirects are not followed: use the final address in the forward` };
  }
  if (response.status < 200 || response.status >= 300) {
    const said = errorResourceText(response.body);
    return { kind: 'failed', error: `${prefix} (${meaning(response.status)})${said !== undefined ? `: ${said}` : ''}` };
  }
  if (response.truncated) return { kind: 'failed', error: `${prefix} and a body larger than the hub reads; lower the forward's max_objects` };
  const status = parseJson(response.body);
  const contentType = typeof response.headers['content-type'] === 'string' ? excerpt(response.headers['content-type'], 60) : 'none';
  if (!isRecord(status) || typeof status.id !== 'string' || (status.status !== 'complete' && status.status !== 'pending')) {
    return { kind: 'failed', error: `${prefix} without a TAXII 2.1 status resource (Content-Type ${contentType}); is the API root URL right?` };
  }
  const count = (name: string) => (typeof status[name] === 'number' ? (status[name] as number) : 0);
  const failures = count('failure_count');
  if (failures > 0) {
    const listed = Array.isArray(status.failures) ? status.failures.filter(isRecord).slice(0, FAILURES_NAMED) : [];
    const named = listed.map((f) => `${excerpt(String(f.id ?? '?'), 90)}${typeof f.message === 'string' ? ` (${excerpt(f.message, 120)})` : ''}`);
    const more = failures - named.length > 0 ? `; and ${failures - named.length} more` : '';
    return { kind: 'failed', error: `the remote TAXII server refused ${failures} of ${count('total_count')} objects: ${named.join('; ')}${more}` };
  }
  if (status.status === 'pending' || count('pending_count') > 0) return { kind: 'pending', statusId: status.id };
  return { kind: 'complete', successes: count('success_count') };
}
