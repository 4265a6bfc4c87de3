import type { PolicySnapshot, TenancyRepositories, TenancyStore } from '../tenancy-store';
import type { Database, EngineName } from './database';
import { SqlApiKeyRepository } from './repositories/api-key-repository';
import { SqlApiRootRepository } from './repositories/api-root-repository';
import { SqlAuditRepository } from './repositories/audit-repository';
import { SqlCollectionRepository } from './repositories/collection-repository';
import { SqlOrganizationRepository } from './repositories/organization-repository';
import { readPolicyRevision, readPolicySnapshot } from './repositories/policy-state';
import { topLevelSession, transactionSession, type SqlSession } from './repositories/sql-session';
import { SqlTrustGroupRepository } from './repositories/trust-group-repository';
import { SqlUserRepository } from './repositories/user-repository';

function createRepositories(session: SqlSession): TenancyRepositories {
  return {
    organizations: new SqlOrganizationRepository(session),
    users: new SqlUserRepository(session),
    apiKeys: new SqlApiKeyRepository(session),
    apiRoots: new SqlApiRootRepository(session),
    collections: new SqlCollectionRepository(session),
    trustGroups: new SqlTrustGroupRepository(session),
    audit: new SqlAuditRepository(session),
    policyRevision: () => readPolicyRevision(session.q),
  };
}

/**
 * The TenancyStore over SQL, for both engines. Inside `transaction(fn)` use only the repositories
 * passed to fn: on PGlite the single connection is held by the transaction, so a call through the
 * store's own repositories would wait for it forever.
 */
export class SqlTenancyStore implements TenancyStore {
  readonly engine: EngineName;
  readonly organizations: TenancyRepositories['organizations'];
  readonly users: TenancyRepositories['users'];
  readonly apiKeys: TenancyRepositories['apiKeys'];
  readonly apiRoots: TenancyRepositories['apiRoots'];
  readonly collections: TenancyRepositories['collections'];
  readonly trustGroups: TenancyRepositories['trustGroups'];
  readonly audit: TenancyRepositories['audit'];
  readonly policyRevision: TenancyRepositories['policyRevision'];

  constructor(private readonly db: Database) {
    this.engine = db.engine;
    const repositories = createRepositories(topLevelSession(db));
    this.organizations = repositories.organizations;
    this.users = repositories.users;
    this.apiKeys = repositories.apiKeys;
    this.apiRoots = repositories.apiRoots;
    this.collections = repositories.collections;
    this.trustGroups = repositories.trustGroups;
    this.audit = repositories.audit;
    this.policyRevision = repositories.policyRevision;
  }

  transaction<T>(fn: (tx: TenancyRepositories) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(createRepositories(transactionSession(tx))));
  }

  policySnapshot(): Promise<PolicySnapshot> {
    return readPolicySnapshot(this.db);
  }
}

export function createSqlTenancyStore(db: Database): TenancyStore {
  return new SqlTenancyStore(db);
}
