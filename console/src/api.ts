/**
 * The console's one way to call the hub: same-origin JSON with the session cookie, the CSRF token on
 * unsafe methods, and the hub's JSON errors thrown as ApiError. A 401 means the session ended: the
 * shell is told (onSessionEnded) and shows the sign-in form again.
 */

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { readonly problems?: readonly FieldProblem[]; readonly retryAfter?: number } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

let csrfToken: string | undefined;
let sessionEnded: () => void = () => {};

/** Set by the shell after sign-in (GET/POST /console/session answer the token). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export function onSessionEnded(listener: () => void): void {
  sessionEnded = listener;
}

/** The header that tells the hub a call comes from the console (no Basic challenge on 401). */
const CLIENT_HEADERS = { 'X-Requested-With': 'taxii-hub-console', Accept: 'application/json' };

export async function api<T = unknown>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { ...CLIENT_HEADERS };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== undefined) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? null : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The hub could not be reached');
  }
  const text = await response.text();
  const json: unknown = text === '' ? undefined : safeJson(text);
  if (!response.ok) {
    const error = errorOf(response, json);
    if (response.status === 401 && !path.startsWith('/console/session')) sessionEnded();
    throw error;
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorOf(response: Response, json: unknown): ApiError {
  const error = (json as { error?: { code?: unknown; message?: unknown; problems?: unknown } } | undefined)?.error;
  const retry = Number(response.headers.get('Retry-After'));
  const problems = Array.isArray(error?.problems) ? (error.problems as FieldProblem[]) : undefined;
  return new ApiError(
    response.status,
    typeof error?.code === 'string' ? error.code : `HTTP_${response.status}`,
    typeof error?.message === 'string' ? error.message : response.statusText || `HTTP ${response.status}`,
    { ...(problems ? { problems } : {}), ...(Number.isFinite(retry) && retry > 0 ? { retryAfter: retry } : {}) },
  );
}
