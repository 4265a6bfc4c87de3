/**
 * The one error catalog. Every failure the hub reports to a client is a HubError with a code from
 * here; the protocol edges (TAXII 2.1 error resource, TAXII 1.1 Status_Message, admin JSON) render
 * it. A test checks that every code is mapped and documented.
 */

export type Taxii11StatusType =
  | 'BAD_MESSAGE'
  | 'DENIED'
  | 'FAILURE'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MESSAGE'
  | 'UNSUPPORTED_CONTENT'
  | 'UNSUPPORTED_PROTOCOL'
  | 'UNSUPPORTED_QUERY'
  | 'INVALID_RESPONSE_PART'
  | 'DESTINATION_COLLECTION_ERROR'
  | 'RETRY';

export interface CatalogEntry {
  readonly httpStatus: number;
  readonly taxii11: Taxii11StatusType;
  readonly title: string;
}

export const ERROR_CATALOG = {
  BAD_REQUEST: { httpStatus: 400, taxii11: 'BAD_MESSAGE', title: 'Bad request' },
  VALIDATION_FAILED: { httpStatus: 400, taxii11: 'BAD_MESSAGE', title: 'Validation failed' },
  AUTHENTICATION_REQUIRED: { httpStatus: 401, taxii11: 'UNAUTHORIZED', title: 'Authentication required' },
  FORBIDDEN: { httpStatus: 403, taxii11: 'DENIED', title: 'Forbidden' },
  NOT_FOUND: { httpStatus: 404, taxii11: 'NOT_FOUND', title: 'Not found' },
  METHOD_NOT_ALLOWED: { httpStatus: 405, taxii11: 'BAD_MESSAGE', title: 'Method not allowed' },
  NOT_ACCEPTABLE: { httpStatus: 406, taxii11: 'UNSUPPORTED_MESSAGE', title: 'Not acceptable' },
  REQUEST_TIMEOUT: { httpStatus: 408, taxii11: 'FAILURE', title: 'Request timeout' },
  CONFLICT: { httpStatus: 409, taxii11: 'FAILURE', title: 'Conflict' },
  PAYLOAD_TOO_LARGE: { httpStatus: 413, taxii11: 'BAD_MESSAGE', title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, taxii11: 'UNSUPPORTED_CONTENT', title: 'Unsupported media type' },
  UNPROCESSABLE: { httpStatus: 422, taxii11: 'BAD_MESSAGE', title: 'Unprocessable content' },
  TOO_MANY_REQUESTS: { httpStatus: 429, taxii11: 'RETRY', title: 'Too many requests' },
  HEADERS_TOO_LARGE: { httpStatus: 431, taxii11: 'BAD_MESSAGE', title: 'Request header fields too large' },
  DATABASE_UNAVAILABLE: { httpStatus: 503, taxii11: 'RETRY', title: 'Database unavailable' },
  INTERNAL: { httpStatus: 500, taxii11: 'FAILURE', title: 'Internal server error' },
  // TAXII 1.1 conditions with a status type of their own (answered in HTTP 200 on /taxii1; the HTTP
  // status is what another protocol would use). They come after the general codes on purpose: an
  // HTTP status maps back to the first code that has it.
  CONTENT_REFUSED: { httpStatus: 422, taxii11: 'FAILURE', title: 'Content refused' },
  UNSUPPORTED_CONTENT_BINDING: { httpStatus: 415, taxii11: 'UNSUPPORTED_CONTENT', title: 'Unsupported content binding' },
  UNSUPPORTED_MESSAGE_BINDING: { httpStatus: 406, taxii11: 'UNSUPPORTED_MESSAGE', title: 'Unsupported message binding' },
  UNSUPPORTED_PROTOCOL_BINDING: { httpStatus: 400, taxii11: 'UNSUPPORTED_PROTOCOL', title: 'Unsupported protocol binding' },
  UNSUPPORTED_QUERY: { httpStatus: 400, taxii11: 'UNSUPPORTED_QUERY', title: 'Unsupported query' },
  INVALID_RESPONSE_PART: { httpStatus: 404, taxii11: 'INVALID_RESPONSE_PART', title: 'Invalid response part' },
  DESTINATION_COLLECTION_ERROR: { httpStatus: 400, taxii11: 'DESTINATION_COLLECTION_ERROR', title: 'Destination collection error' },
  // The change feed (issue 13): a cursor the hub did not issue for this collection.
  INVALID_CURSOR: { httpStatus: 400, taxii11: 'BAD_MESSAGE', title: 'Invalid cursor' },
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** One field-level problem, e.g. in a validation failure: `path` is a JSON pointer or dotted path. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export interface HubErrorDetails {
  /** Human-readable description, safe to show to the client (never internals). */
  readonly description?: string;
  readonly problems?: readonly FieldProblem[];
  /** Seconds, for 429/503. */
  readonly retryAfter?: number;
  /** Methods, for 405. */
  readonly allow?: readonly string[];
  /**
   * TAXII 1.1 Status_Detail entries (name → value, a name may repeat), e.g. MAX_PART_NUMBER for
   * INVALID_RESPONSE_PART, SUPPORTED_CONTENT for UNSUPPORTED_CONTENT_BINDING, ITEM for NOT_FOUND.
   */
  readonly statusDetails?: readonly { readonly name: string; readonly value: string }[];
}

export class HubError extends Error {
  readonly code: ErrorCode;
  readonly details: HubErrorDetails;

  constructor(code: ErrorCode, details: HubErrorDetails = {}) {
    super(details.description ?? ERROR_CATALOG[code].title);
    this.name = 'HubError';
    this.code = code;
    this.details = details;
  }

  get httpStatus(): number {
    return ERROR_CATALOG[this.code].httpStatus;
  }

  get title(): string {
    return ERROR_CATALOG[this.code].title;
  }
}

export function hubError(code: ErrorCode, details: HubErrorDetails | string = {}): HubError {
  return new HubError(code, typeof details === 'string' ? { description: details } : details);
}

export function isHubError(value: unknown): value is HubError {
  return value instanceof HubError;
}
