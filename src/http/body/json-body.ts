import { hubError, type HubError } from '../../domain/errors';
import { scanJsonText, type JsonTextIssue } from './json-text-scan';

/**
 * Every JSON request body (TAXII 2.1 Add Objects, the hub API, the admin API) becomes a value here,
 * and is refused here with the same catalogued error whatever the route:
 *
 * - bytes that are not UTF-8: 400 (decoded with a fatal decoder, never replaced with U+FFFD);
 * - nesting deeper than MAX_JSON_DEPTH (json-text-scan.ts), or a key repeated in one object: 400,
 *   naming the place;
 * - not JSON: 400 with the parser's message;
 * - the escape \u0000 or a lone surrogate escape: 422 (the body parses, but the hub cannot store it),
 *   naming the place.
 *
 * Numbers beyond a double (1e999999 becomes Infinity) are left to the caller, which knows whether
 * they fail one object (TAXII) or the request (see validation/finite-numbers.ts).
 */

/** The body as UTF-8 text; a leading byte order mark is dropped. */
export function decodeUtf8Body(body: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw hubError('BAD_REQUEST', 'The request body is not UTF-8 text');
  }
}

/** The body's JSON value, after the checks above. */
export function parseJsonBody(body: Uint8Array): unknown {
  const text = decodeUtf8Body(body);
  const scan = scanJsonText(text);
  if (!scan.ok) throw jsonTextError(scan.issue);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw hubError('BAD_REQUEST', `The request body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}`);
  }
}

export function jsonTextError(issue: JsonTextIssue): HubError {
  switch (issue.kind) {
    case 'too-deep':
      return hubError('BAD_REQUEST', `The request body is nested more than ${issue.limit} levels deep (at ${issue.path}); the hub accepts at most ${issue.limit} levels`);
    case 'duplicate-key':
      return hubError('BAD_REQUEST', `The request body repeats the key ${JSON.stringify(issue.key)} in the object at ${issue.path}; each key may appear once in an object`);
    case 'nul':
      return hubError('UNPROCESSABLE', `The request body contains the character U+0000 (\\u0000) at ${issue.path}, which the hub cannot store; remove it`);
    case 'lone-surrogate':
      return hubError('UNPROCESSABLE', `The request body contains a lone surrogate (${issue.escape}) at ${issue.path}, which is not a Unicode character and which the hub cannot store; send the character as a surrogate pair or remove it`);
  }
}
