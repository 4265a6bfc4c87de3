import type { FieldProblem } from '../../domain/errors';

/** What a running hub answered: a body that is JSON (or undefined when empty or not JSON, on errors). */
export interface HubAnswer {
  readonly ok: boolean;
  readonly status: number;
  readonly body: unknown;
  /** The error's message and field problems, for an answer that is not ok. */
  readonly error: { readonly message: string; readonly problems: readonly FieldProblem[] };
}

/**
 * Sends one request to a running hub (`hubUrl` names it in messages). An unreachable hub, or a
 * success whose body is not JSON (not the hub at that address), is an Error; every HTTP answer else
 * is returned, with the message of an error body read from the admin/hub API form
 * (`{"error": {"message", "problems"}}`) or a TAXII error resource (`description`, `title`).
 */
export async function requestHub(hubUrl: string, url: URL | string, authorization: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HubAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { authorization, ...(init.headers ?? {}) } });
  } catch (error) {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, ...) is its cause.
    throw new Error(`cannot reach the hub at ${hubUrl} (${reasonOf(error)})`, { cause: error });
  }
  const body = parseJson(await response.text());
  if (response.ok) {
    if (body === NOT_JSON) throw new Error(`${String(url)} answered ${response.status} with a body that is not JSON; is --url the hub's address?`);
    return { ok: true, status: response.status, body, error: { message: '', problems: [] } };
  }
  // A proxy in front of the hub may answer with HTML: then the status line is all there is to say.
  const readable = body === NOT_JSON ? undefined : body;
  return { ok: false, status: response.status, body: readable, error: errorOf(readable, `${response.status} ${response.statusText}`) };
}

/** The message and field problems of an error answer: the hub/admin API form (`error.message`) or a TAXII error resource (`description`, `title`). */
export function errorOf(body: unknown, fallback: string): HubAnswer['error'] {
  const record = (typeof body === 'object' && body !== null ? body : {}) as { error?: { message?: string; problems?: FieldProblem[] }; title?: string; description?: string };
  if (record.error !== undefined) return { message: record.error.message ?? fallback, problems: record.error.problems ?? [] };
  return { message: record.description ?? record.title ?? fallback, problems: [] };
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
  const { message, cause } = typeof error === 'object' && error !== null ? (error as { message?: unknown; cause?: unknown }) : {};
  const { code, message: causeMessage } = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown; message?: unknown }) : {};
  if (typeof code === 'string') return code;
  if (typeof causeMessage === 'string') return causeMessage;
  return typeof message === 'string' ? message : String(error);
}
