import { hubError } from '../../domain/errors';
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

/** Parses a positive integer query parameter, or answers 400 naming it. */
/** The audit trail's order: `oldest` first (the default) or `newest` first. */
export function auditOrder(value: string | undefined): 'oldest' | 'newest' {
  if (value === undefined || value === 'oldest' || value === 'newest') return value ?? 'oldest';
  throw hubError('BAD_REQUEST', { description: 'order: must be oldest or newest', problems: [{ path: 'order', message: 'must be oldest or newest' }] });
}

export function intParam(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw hubError('BAD_REQUEST', { description: `${name}: must be a non-negative integer`, problems: [{ path: name, message: 'must be a non-negative integer' }] });
  return n;
}
