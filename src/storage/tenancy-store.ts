import type { ApiKey, ApiRoot, Collection, Organization, TrustGroup, User } from '../domain/tenancy';
import type { EngineName } from './sql/database';

/**
 * The storage port for the tenancy model and the audit trail. Services are its only callers.
 * Conventions every implementation keeps:
 * - `get` returns undefined for an unknown id; `update`/`delete` return false for an unknown id.
 * - A unique or reference conflict throws HubError('CONFLICT') naming what conflicts
 *   (e.g. deleting an organization that still has users, a duplicate username).
 * - Nothing here checks permissions: that is the services' job.
 */

export interface CrudRepository<T extends { readonly id: string }> {
  list(): Promise<T[]>;
  get(id: string): Promise<T | undefined>;
  insert(entity: T): Promise<void>;
  /** Replaces every stored field of the entity with this id. */
  update(entity: T): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

export interface UserCredentials {
  readonly user: User;
  readonly passwordHash: string | null;
}

export interface UserRepository extends CrudRepository<User> {
  listByOrganization(organizationId: string): Promise<User[]>;
  getByUsername(username: string): Promise<User | undefined>;
  /** The user and its password hash, for authentication only. */
  getCredentials(username: string): Promise<UserCredentials | undefined>;
  setPasswordHash(userId: string, passwordHash: string | null): Promise<boolean>;
  getPasswordHash(userId: string): Promise<string | null | undefined>;
}

export interface ApiKeyCredentials {
  readonly key: ApiKey;
  readonly secretHash: string;
  readonly user: User;
}

export interface ApiKeyRepository {
  listByUser(userId: string): Promise<ApiKey[]>;
  listByOrganization(organizationId: string): Promise<ApiKey[]>;
  listAll(): Promise<ApiKey[]>;
  get(id: string): Promise<ApiKey | undefined>;
  insert(key: ApiKey, secretHash: string): Promise<void>;
  /** Sets revoked_at (idempotent: an already revoked key keeps its first revocation time). */
  revoke(id: string, at: Date): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** The key, its secret hash and its user, for authentication only. */
  getCredentials(id: string): Promise<ApiKeyCredentials | undefined>;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: Date;
  readonly actor: string;
  readonly action: string; // e.g. 'organization.create'
  readonly entityType: string; // e.g. 'organization'
  readonly entityId: string;
  readonly before: unknown;
  readonly after: unknown;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

export interface AuditQuery {
  readonly entityType?: string;
  readonly entityId?: string;
  readonly actor?: string;
  /** Only entries with id greater than this (keyset paging, oldest first). */
  readonly afterId?: number;
  /** Only entries with id smaller than this (keyset paging, newest first). */
  readonly beforeId?: number;
  /** Only entries made at or after this instant (an RFC 3339 timestamp). */
  readonly since?: string;
  /** Only entries made before this instant (an RFC 3339 timestamp). */
  readonly until?: string;
  /** Newest first instead of oldest first. */
  readonly newestFirst?: boolean;
  readonly limit: number;
}

export interface AuditRepository {
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  list(query: AuditQuery): Promise<AuditEntry[]>;
}

/** Everything the access policy is compiled from, read in one consistent snapshot, with its revision. */
export interface PolicySnapshot {
  readonly revision: number;
  readonly organizations: readonly Organization[];
  readonly trustGroups: readonly TrustGroup[];
  readonly collections: readonly Collection[];
}

export interface TenancyRepositories {
  readonly organizations: CrudRepository<Organization>;
  readonly users: UserRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly apiRoots: CrudRepository<ApiRoot>;
  readonly collections: CrudRepository<Collection>;
  readonly trustGroups: CrudRepository<TrustGroup>;
  readonly audit: AuditRepository;
  /**
   * The access policy's revision: it rises with every committed change to organizations, trust
   * groups (and their members) or collections, whichever path made it. Revisions rise in commit order.
   */
  policyRevision(): Promise<number>;
}

export interface TenancyStore extends TenancyRepositories {
  readonly engine: EngineName;
  /** Runs `fn` in one transaction; everything it writes commits together or not at all. */
  transaction<T>(fn: (tx: TenancyRepositories) => Promise<T>): Promise<T>;
  /** Organizations, trust groups and collections as of one moment, with the revision of that moment. */
  policySnapshot(): Promise<PolicySnapshot>;
}
