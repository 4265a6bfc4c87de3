import { hubError, type FieldProblem } from '../../domain/errors';
import type { IndicatorState } from '../../domain/lifecycle/indicator-state';
import { INDICATOR_KINDS, isIndicatorKind, type IndicatorKind } from '../../domain/indicators/indicator-kinds';
import { isTlpLevel } from '../../domain/tlp';
import { TLP_LEVELS, type TlpLevel } from '../../domain/tenancy';
import { INDICATOR_PAGE, type IndicatorListFilters } from '../../services/indicator-lifecycle-service';
import { definitionParsers } from '../../validation/schema-definitions';
import { readSchema } from '../../validation/schema-files';
import type { JsonCall } from '../json-api/json-api-router';

/** Request bodies of the hub API's lifecycle routes, as schemas/hub-api.schema.json defines them. */
export interface RevokeBody { reason?: string }
export interface ReasonBody { reason: string }

const parser = definitionParsers(readSchema('hub-api.schema.json'));

export const parseHubBody = {
  revoke: parser<RevokeBody>('revoke'),
  benign: parser<ReasonBody>('benign'),
  purge: parser<ReasonBody>('purge'),
};

/** A route parameter (`:name`) as text. */
export const param = (req: JsonCall, name: string): string => String(req.params[name]);

/** A query parameter given at most once: undefined when absent; given twice (or empty, with `nonEmpty`), a 400. */
export function oneText(query: JsonCall['query'], name: string, { nonEmpty = false } = {}): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || (nonEmpty && value === '')) throw hubError('BAD_REQUEST', { description: `${name}: must be given once`, problems: [{ path: name, message: 'must be given once' }] });
  return value;
}

const STATES: readonly IndicatorState[] = ['active', 'revoked', 'benign', 'expired'];

/** The query of an indicator listing: state, provider, kind, tlp, campaign, limit (1 to 1000), after (a next_after value). */
export function parseIndicatorListQuery(query: Readonly<Record<string, unknown>>): IndicatorListFilters {
  const problems: FieldProblem[] = [];
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') problems.push({ path: name, message: 'must be given once' });
    return typeof value === 'string' ? value : undefined;
  };
  const integer = (name: string, min: number, max: number): number | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) problems.push({ path: name, message: `must be an integer from ${min} to ${max}` });
    return n;
  };
  const state = text('state');
  if (state !== undefined && !(STATES as readonly string[]).includes(state)) problems.push({ path: 'state', message: `must be one of ${STATES.join(', ')}` });
  const provider = text('provider');
  const kind = text('kind');
  if (kind !== undefined && !isIndicatorKind(kind)) problems.push({ path: 'kind', message: `must be one of ${INDICATOR_KINDS.join(', ')}` });
  const tlp = text('tlp');
  if (tlp !== undefined && !isTlpLevel(tlp)) problems.push({ path: 'tlp', message: `must be one of ${TLP_LEVELS.join(', ')}` });
  const campaign = text('campaign');
  if (campaign === '') problems.push({ path: 'campaign', message: 'must be a campaign id or name' });
  const limit = integer('limit', 1, INDICATOR_PAGE.max);
  const after = integer('after', 0, Number.MAX_SAFE_INTEGER);
  if (problems.length > 0) throw hubError('BAD_REQUEST', { description: problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems });
  return {
    ...(state !== undefined ? { state: state as IndicatorState } : {}),
    ...(provider !== undefined ? { provider } : {}),
    ...(kind !== undefined ? { kind: kind as IndicatorKind } : {}),
    ...(tlp !== undefined ? { tlp: tlp as TlpLevel } : {}),
    ...(campaign !== undefined ? { campaign } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(after !== undefined ? { after } : {}),
  };
}
