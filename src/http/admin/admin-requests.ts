import { hubError, isHubError } from '../../domain/errors';
import type { Attribution, PeerLink, Role, TlpLevel, Topology, UnmarkedPolicy } from '../../domain/tenancy';
import { definitionParsers } from '../../validation/schema-definitions';
import { readSchema } from '../../validation/schema-files';

const adminSchema = readSchema('admin-api.schema.json');

/** Request bodies of the admin API, as their schemas (schemas/admin-api.schema.json) define them. */
export interface OrganizationBody { id: string; name: string; parent?: string | null; delivery_allow_list?: string[] }
export type OrganizationPatchBody = Partial<Omit<OrganizationBody, 'id'>>;
export interface UserBody { username: string; organization: string; roles: Role[]; password?: string; disabled?: boolean }
export interface UserPatchBody { roles?: Role[]; password?: string; disabled?: boolean }
export interface ApiKeyBody { name: string; expires_at?: string | null }
export interface ApiRootBody { id: string; title: string; description?: string | null; max_content_length?: number }
export type ApiRootPatchBody = Partial<Omit<ApiRootBody, 'id'>>;
export type OwnerBody = { organization: string } | { trust_group: string };
export interface CollectionBody {
  id?: string;
  api_root: string;
  alias?: string | null;
  title: string;
  description?: string | null;
  owner: OwnerBody;
  default_marking?: TlpLevel;
  unmarked?: UnmarkedPolicy;
  attribution?: Attribution;
}
export type CollectionPatchBody = Partial<Omit<CollectionBody, 'id' | 'api_root'>>;
export interface PeerLinkBody { between: [string, string]; pass_down?: boolean }
export interface TrustGroupBody {
  id: string;
  name: string;
  topology: Topology;
  members?: string[];
  tree?: Record<string, string[]>;
  peer_links?: PeerLinkBody[];
  attribution?: Attribution;
}
export type TrustGroupPatchBody = Partial<Omit<TrustGroupBody, 'id'>>;

const validator = definitionParsers(adminSchema);

export const parseBody = {
  organization: validator<OrganizationBody>('organizationCreate'),
  organizationPatch: validator<OrganizationPatchBody>('organizationPatch'),
  user: validator<UserBody>('userCreate'),
  userPatch: validator<UserPatchBody>('userPatch'),
  apiKey: validator<ApiKeyBody>('apiKeyCreate'),
  apiRoot: validator<ApiRootBody>('apiRootCreate'),
  apiRootPatch: validator<ApiRootPatchBody>('apiRootPatch'),
  collection: validator<CollectionBody>('collectionCreate'),
  collectionPatch: validator<CollectionPatchBody>('collectionPatch'),
  trustGroup: validator<TrustGroupBody>('trustGroupCreate'),
  trustGroupPatch: validator<TrustGroupPatchBody>('trustGroupPatch'),
};

export const ownerFromBody = (owner: OwnerBody) => ('organization' in owner ? { kind: 'organization' as const, id: owner.organization } : { kind: 'trust-group' as const, id: owner.trust_group });

export const peerLinksFromBody = (links: PeerLinkBody[] | undefined): PeerLink[] | undefined =>
  links?.map((l) => ({ between: [l.between[0], l.between[1]] as const, passDown: l.pass_down ?? false }));

const parseAuditPeriod = validator<{ since?: string; until?: string }>('auditPeriod');

/** What a bad `since` / `until` is told instead of ajv's words. */
const RFC3339 = 'must be an RFC 3339 timestamp with a time zone, e.g. 2026-12-01T00:00:00Z';

/**
 * The audit trail's period from the query: `since` (inclusive) and `until` (exclusive), checked
 * against the admin API's schema (`auditPeriod`); a bad one, or an `until` not after `since`, is a
 * 400 naming the parameter.
 */
export function auditPeriod(query: Readonly<Record<string, unknown>>): { since?: string; until?: string } {
  let period: { since?: string; until?: string };
  try {
    period = parseAuditPeriod({ ...(query.since !== undefined ? { since: query.since } : {}), ...(query.until !== undefined ? { until: query.until } : {}) });
  } catch (error) {
    const problems = (isHubError(error) ? error.details.problems ?? [] : []).map((p) => ({ path: p.path, message: RFC3339 }));
    if (problems.length === 0) throw error;
    throw hubError('VALIDATION_FAILED', { description: problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems });
  }
  if (period.since !== undefined && period.until !== undefined && Date.parse(period.until) <= Date.parse(period.since)) {
    throw hubError('VALIDATION_FAILED', { description: 'until: must be after since', problems: [{ path: 'until', message: 'must be after since' }] });
  }
  return period;
}

/** The audit trail's order: `oldest` first (the default) or `newest` first. */
export function auditOrder(value: string | undefined): 'oldest' | 'newest' {
  if (value === undefined || value === 'oldest' || value === 'newest') return value ?? 'oldest';
  throw hubError('BAD_REQUEST', { description: 'order: must be oldest or newest', problems: [{ path: 'order', message: 'must be oldest or newest' }] });
}

/** Parses a non-negative integer query parameter, or answers 400 naming it. */
export function intParam(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw hubError('BAD_REQUEST', { description: `${name}: must be a non-negative integer`, problems: [{ path: name, message: 'must be a non-negative integer' }] });
  return n;
}
