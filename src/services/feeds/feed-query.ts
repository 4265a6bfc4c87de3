import { hubError, type FieldProblem } from '../../domain/errors';
import { FEED_FORMATS, POSTFIX_ACTIONS, POSTFIX_MAPS, isFeedFormat, type FeedFormat, type FeedRenderer, type PostfixAction, type PostfixMap } from '../../domain/feeds/feed-formats';
import { HASH_ALGORITHMS, INDICATOR_KINDS, isIndicatorKind, type HashAlgorithm, type IndicatorKind } from '../../domain/indicators/indicator-kinds';

/** A feed request, as the HTTP edge reads it (strings, each given at most once). */
export interface FeedRequest {
  readonly collection: string;
  readonly format: string;
  readonly kind?: string;
  readonly minConfidence?: string;
  readonly since?: string;
  /** `text` of file hashes: one algorithm. */
  readonly algorithm?: string;
  /** `postfix`: which table (client, sender, header) and its action. */
  readonly map?: string;
  readonly action?: string;
}

/** A feed request checked against the formats the hub renders. */
export interface FeedQuery {
  readonly collection: string;
  readonly format: FeedFormat;
  readonly renderer: FeedRenderer;
  readonly kind?: IndicatorKind;
  readonly minConfidence?: number;
  readonly since?: string;
  readonly algorithm?: HashAlgorithm;
  readonly postfix?: { readonly map: PostfixMap; readonly action?: PostfixAction };
}

/** The parameters that shape a rendered feed (the cache key's part besides collection and audience). */
export function feedParameters(query: FeedQuery): Record<string, unknown> {
  return { format: query.format, kind: query.kind, minConfidence: query.minConfidence, algorithm: query.algorithm, postfix: query.postfix };
}

/**
 * Checks a request: an unknown format is NOT_FOUND (it is the path); a bad kind, a kind the format
 * cannot express, min_confidence outside 0..100 and parameters of another format are BAD_REQUEST,
 * every problem named with its parameter.
 */
export function checkFeedRequest(request: FeedRequest, renderers: ReadonlyMap<FeedFormat, FeedRenderer>): FeedQuery {
  const renderer = isFeedFormat(request.format) ? renderers.get(request.format) : undefined;
  if (renderer === undefined) {
    const offered = FEED_FORMATS.filter((f) => renderers.has(f));
    throw hubError('NOT_FOUND', `There is no feed format ${request.format}; the formats are ${offered.join(', ')}`);
  }
  const problems: FieldProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  let kind: IndicatorKind | undefined;
  if (request.kind !== undefined) {
    if (!isIndicatorKind(request.kind)) problem('kind', `must be one of ${INDICATOR_KINDS.join(', ')}`);
    else if (!renderer.kinds.includes(request.kind)) problem('kind', `the ${renderer.format} format cannot express ${request.kind}; it lists ${renderer.kinds.join(', ')}`);
    else kind = request.kind;
  }
  let minConfidence: number | undefined;
  if (request.minConfidence !== undefined) {
    minConfidence = /^\d{1,3}$/.test(request.minConfidence) ? Number(request.minConfidence) : NaN;
    if (!(minConfidence >= 0 && minConfidence <= 100)) problem('min_confidence', 'must be an integer from 0 to 100');
  }
  let algorithm: HashAlgorithm | undefined;
  if (request.algorithm !== undefined) {
    const named = HASH_ALGORITHMS.find((a) => a.toLowerCase() === request.algorithm?.toLowerCase());
    if (renderer.format !== 'text') problem('algorithm', 'only the text format takes an algorithm');
    else if (kind !== 'file-hash') problem('algorithm', 'needs kind=file-hash');
    else if (named === undefined) problem('algorithm', `must be one of ${HASH_ALGORITHMS.join(', ')}`);
    else algorithm = named;
  }
  let postfix: FeedQuery['postfix'];
  if (renderer.format === 'postfix') {
    const map = request.map ?? 'client';
    const action = request.action;
    if (!(POSTFIX_MAPS as readonly string[]).includes(map)) problem('map', `must be one of ${POSTFIX_MAPS.join(', ')}`);
    else if (action !== undefined && !(POSTFIX_ACTIONS as readonly string[]).includes(action)) problem('action', `must be one of ${POSTFIX_ACTIONS.join(', ')}`);
    else postfix = { map: map as PostfixMap, ...(action !== undefined ? { action: action as PostfixAction } : {}) };
  } else {
    if (request.map !== undefined) problem('map', 'only the postfix format takes a map');
    if (request.action !== undefined) problem('action', 'only the postfix format takes an action');
  }
  if (request.since !== undefined && request.since.length === 0) problem('since', 'must be a cursor (the X-Feed-Cursor of an earlier answer)');
  if (problems.length > 0) throw hubError('BAD_REQUEST', { description: problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems });
  return {
    collection: request.collection,
    format: renderer.format,
    renderer,
    ...(kind !== undefined ? { kind } : {}),
    ...(minConfidence !== undefined ? { minConfidence } : {}),
    ...(request.since !== undefined ? { since: request.since } : {}),
    ...(algorithm !== undefined ? { algorithm } : {}),
    ...(postfix !== undefined ? { postfix } : {}),
  };
}
