import { randomUUID } from 'node:crypto';
import type { Principal } from '../../../../src/domain/principal';
import type { TlpLevel, TrustGroup } from '../../../../src/domain/tenancy';
import { createCollectionService } from '../../../../src/services/collection-service';
import { createChangeFeedService } from '../../../../src/services/delivery/change-feed/change-feed-reader';
import type { ChangeFeedService } from '../../../../src/services/delivery/change-feed/change-feed-service';
import { createPolicyService, type PolicyService } from '../../../../src/services/policy-service';
import type { NewObjectVersion } from '../../../../src/storage/object-store';
import type { Database, EngineName } from '../../../../src/storage/sql/database';
import { SqlHubSecretRepository } from '../../../../src/storage/sql/repositories/hub-secret-repository';
import { SqlAudienceStore } from '../../../../src/storage/sql/sql-audience-store';
import { SqlChangeFeedStore } from '../../../../src/storage/sql/sql-change-feed-store';
import { SqlObjectStore } from '../../../../src/storage/sql/sql-object-store';
import { createSqlTenancyStore } from '../../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../../src/storage/tenancy-store';
import { openTestDatabase } from '../../../support/test-databases';

/**
 * A small hub for change-feed tests, on a real database. Two collections:
 * - `regional` owned by the vertical group `regional` (hq above east and west: a branch never reads
 *   a sibling's AMBER);
 * - `shared` owned by the organization hq, governed by every group hq is in: `wide` (horizontal:
 *   hq, east, west: everyone reads everyone's AMBER) and `tree` (vertical: hq above east). Changing
 *   or deleting `wide` changes what east may read there without taking the collection from it.
 */

export const REGIONAL = 'c0ffee00-0000-4000-8000-00000000c0f1';
export const SHARED = 'c0ffee00-0000-4000-8000-00000000c0f2';
const T0 = 1_700_000_000_000_000;

export const WIDE: TrustGroup = { id: 'wide', name: 'wide', topology: 'horizontal', members: ['hq', 'east', 'west'], tree: {}, peerLinks: [], attribution: 'attributed', managedBy: 'admin' };

export interface ChangeFeedWorld {
  readonly db: Database;
  readonly tenancy: TenancyStore;
  readonly policy: PolicyService;
  readonly objects: SqlObjectStore;
  readonly store: SqlChangeFeedStore;
  readonly service: ChangeFeedService;
  /** A second service over the same database (another hub process). */
  otherProcess(): ChangeFeedService;
  /** Appends one indicator; returns its id and label. */
  indicator(collectionId: string, provider: string, tlp: TlpLevel, extra?: Record<string, unknown>): Promise<{ id: string; label: number }>;
  close(): Promise<void>;
}

export const who = {
  hq: consumer('hq'),
  east: consumer('east'),
  west: consumer('west'),
};

function consumer(organizationId: string): Principal {
  return { userId: randomUUID(), username: `${organizationId}-consumer`, organizationId, roles: new Set(['consumer']), via: 'basic' };
}

export async function openChangeFeedWorld(engine: EngineName): Promise<ChangeFeedWorld> {
  const db = await openTestDatabase(engine);
  const tenancy = createSqlTenancyStore(db);
  for (const id of ['hq', 'east', 'west']) await tenancy.organizations.insert({ id, name: id, parentId: null, managedBy: 'admin' });
  await tenancy.trustGroups.insert({ id: 'regional', name: 'regional', topology: 'vertical', members: ['hq', 'east', 'west'], tree: { hq: ['east', 'west'] }, peerLinks: [], attribution: 'attributed', managedBy: 'admin' });
  await tenancy.trustGroups.insert(WIDE);
  await tenancy.trustGroups.insert({ id: 'tree', name: 'tree', topology: 'vertical', members: ['hq', 'east'], tree: { hq: ['east'] }, peerLinks: [], attribution: 'attributed', managedBy: 'admin' });
  await tenancy.apiRoots.insert({ id: 'root', title: 'Root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
  const common = { apiRootId: 'root', description: null, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' } as const;
  await tenancy.collections.insert({ ...common, id: REGIONAL, alias: 'regional', title: 'Regional', owner: { kind: 'trust-group', id: 'regional' } });
  await tenancy.collections.insert({ ...common, id: SHARED, alias: 'shared', title: 'Shared', owner: { kind: 'organization', id: 'hq' } });

  const policy = createPolicyService({ store: tenancy });
  const objects = new SqlObjectStore(db);
  const store = new SqlChangeFeedStore(db);
  const makeService = () =>
    createChangeFeedService({
      collections: createCollectionService({ store: tenancy, policy }),
      policy,
      store,
      audiences: new SqlAudienceStore(db),
      secrets: new SqlHubSecretRepository(db),
    });
  let counter = 0;
  return {
    db,
    tenancy,
    policy,
    objects,
    store,
    service: makeService(),
    otherProcess: makeService,
    async indicator(collectionId, provider, tlp, extra = {}) {
      const id = `indicator--${randomUUID()}`;
      const modified = new Date((T0 + ++counter) / 1000).toISOString();
      const object = { type: 'indicator', spec_version: '2.1', id, created: modified, modified, pattern: "[ipv4-addr:value = '203.0.113.9']", pattern_type: 'stix', valid_from: modified, ...extra };
      const version: NewObjectVersion = { id, type: 'indicator', specVersion: '2.1', version: T0 + counter, providerOrgId: provider, tlp, recipients: [], object };
      const [outcome] = await objects.append(collectionId, [version], Date.now() * 1000);
      if (outcome?.kind !== 'added') throw new Error('not added');
      return { id, label: outcome.dateAdded };
    },
    close: () => db.close(),
  };
}
