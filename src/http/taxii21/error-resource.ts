import { type HubError } from '../../domain/errors';

/** The TAXII 2.1 error resource (§3.6.1). `http_status` is a string, as the spec defines it. */
export interface TaxiiErrorResource {
  readonly title: string;
  readonly description?: string;
  readonly error_code: string;
  readonly http_status: string;
  readonly details?: { readonly problems: readonly { readonly path: string; readonly message: string }[] };
}

export function taxiiErrorResource(error: HubError): TaxiiErrorResource {
  const { description, problems } = error.details;
  return {
    title: error.title,
    ...(description !== undefined ? { description } : {}),
    error_code: error.code,
    http_status: String(error.httpStatus),
    ...(problems && problems.length > 0 ? { details: { problems } } : {}),
  };
}
