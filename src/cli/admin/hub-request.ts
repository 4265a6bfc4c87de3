import type { FieldProblem } from '../../domain/errors';
import { ACT_AS_HEADER } from '../../local-socket/local-socket-address';
import { requestOverSocket } from '../../local-socket/local-socket-client';
import { REACH_A_HUB_HINT, type HubEndpoint } from './remote-hub';

/** What a running hub answered: a body that is JSON (or undefined when empty or not JSON, on errors). */
export interface HubAnswer {
  readonly ok: boolean;
  readonly status: number;
  readonly body: unknown;
  /** The error's title, message and field problems, for an answer that is not ok. */
  readonly error: { readonly title?: string; readonly message: string; readonly problems: readonly FieldProblem[] };
}

type Init = { method?: string; headers?: Record<string, string>; body?: string };

/**
 * Sends one request to a running hub, over HTTP or its local socket. An unreachable hub, or a success
 * whose body is not JSON (not the hub at that address), is an Error; every HTTP answer else is
 * returned, with the message of an error body read from the admin/hub API form
 * (`{"error": {"title", "message", "problems"}}`) or a TAXII error resource (`description`, `title`).
 */
export async function requestHub(hub: HubEndpoint, url: URL | string, init: Init = {}): Promise<HubAnswer> {
  let status: number;
  let statusText: string;
  let text: string;
  try {
    ({ status, statusText, text } = await send(hub, new URL(url), init));
  } catch (error) {
    if (hub.socketPath !== undefined) throw new Error(`cannot reach ${hub.label} (${reasonOf(error)}): ${REACH_A_HUB_HINT}`, { cause: error });
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, ...) is its cause.
    throw new Error(`cannot reach the hub at ${hub.label} (${reasonOf(error)})`, { cause: error });
  }
  const body = parseJson(text);
  const ok = status >= 200 && status < 300;
  if (ok) {
    if (body === NOT_JSON) throw new Error(`${String(url)} answered ${status} with a body that is not JSON; is --url the hub's address?`);
    return { ok: true, status, body, error: { message: '', problems: [] } };
  }
  // A proxy in front of the hub may answer with HTML: then the status line is all there is to say.
  const readable = body === NOT_JSON ? undefined : body;
  return { ok: false, status, body: readable, error: errorOf(readable, `${status} ${statusText}`.trim()) };
}

async function send(hub: HubEndpoint, url: URL, init: Init): Promise<{ status: number; statusText: string; text: string }> {
  if (hub.socketPath !== undefined) {
    return requestOverSocket(hub.socketPath, url, { ...init, headers: { ...(init.headers ?? {}), ...(hub.actAs !== undefined ? { [ACT_AS_HEADER]: hub.actAs } : {}) } });
  }
  const response = await fetch(url, { ...init, headers: { authorization: hub.authorization, ...(init.headers ?? {}) } });
  return { status: response.status, statusText: response.statusText, text: await response.text() };
}

/** The title, message and field problems of an error answer: the hub/admin API form (`error.message`) or a TAXII error resource (`description`, `title`). */
export function errorOf(body: unknown, fallback: string): HubAnswer['error'] {
  const record = (typeof body === 'object' && body !== null ? body : {}) as { error?: { title?: string; message?: string; problems?: FieldProblem[] }; title?: string; description?: string };
  if (record.error !== undefined) return { ...(record.error.title !== undefined ? { title: record.error.title } : {}), message: record.error.message ?? fallback, problems: record.error.problems ?? [] };
  return { ...(record.title !== undefined ? { title: record.title } : {}), message: record.description ?? record.title ?? fallback, problems: [] };
}

/**
 * An error answer as one message, each field problem once: the hub's message, then the problems it
 * does not already spell out (a validation message is often the problems themselves).
 */
export function describeError(error: HubAnswer['error']): string {
  const extra = error.problems.map((p) => `${p.path}: ${p.message}`).filter((p) => !error.message.includes(p));
  return extra.length > 0 ? `${error.message} (${extra.join('; ')})` : error.message;
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/** Read by shape, not instanceof: fetch's errors may come from another realm (e.g. under jest). */
function reasonOf(error: unknown): string {
  const { message, cause, code: ownCode } = typeof error === 'object' && error !== null ? (error as { message?: unknown; cause?: unknown; code?: unknown }) : {};
  if (typeof ownCode === 'string') return ownCode; // node:http's errors carry their code themselves
  const { code, message: causeMessage } = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown; message?: unknown }) : {};
  if (typeof code === 'string') return code;
  if (typeof causeMessage === 'string') return causeMessage;
  return typeof message === 'string' ? message : String(error);
}
