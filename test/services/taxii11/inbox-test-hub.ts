import { readScope } from '../../../src/access';
import { isHubError, type HubError } from '../../../src/domain/errors';
import { createPolicyService, type PolicyService } from '../../../src/services/policy-service';
import { policyDestinations } from '../../../src/services/taxii11/inbox-destinations';
import { createTaxii11InboxService, type Taxii11InboxDeps, type Taxii11InboxService } from '../../../src/services/taxii11/inbox-service';
import { stix1Key } from '../../../src/services/taxii11/inbox-writer';
import type { Database, EngineName } from '../../../src/storage/sql/database';
import { SqlObjectStore } from '../../../src/storage/sql/sql-object-store';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../src/storage/tenancy-store';
import { createStixValidator } from '../../../src/validation/stix-validator';
import { applyDemoConfig } from '../../support/demo-config';
import { principal } from '../../support/principals';
import { openTestDatabase } from '../../support/test-databases';

/** A hub on the demo configuration for the TAXII 1.1 Inbox tests: the real stores on a test database and the real policy. */

export const validate = createStixValidator();
const operator = principal('operator', 'hub-ops', ['operator']);

export interface InboxTestHub {
  readonly db: Database;
  readonly store: TenancyStore;
  readonly objects: SqlObjectStore;
  readonly policy: PolicyService;
  readonly inbox: Taxii11InboxService;
  /** The hub id the key table gives a provider's 1.x id in a collection. */
  hubId(collectionId: string, provider: string, stix1Id: string): Promise<string | undefined>;
  /** Every version of an object of a collection, as the operator reads it. */
  history(collectionId: string, id: string): ReturnType<SqlObjectStore['objectHistory']>;
  close(): Promise<void>;
}

/** The hub; `deps` are given to the Inbox service (the bridge, the clock…). */
export async function openInboxTestHub(engine: EngineName, deps: Pick<Partial<Taxii11InboxDeps>, 'readPackage' | 'now'> = {}): Promise<InboxTestHub> {
  const db = await openTestDatabase(engine);
  const store = createSqlTenancyStore(db);
  await applyDemoConfig(store);
  const objects = new SqlObjectStore(db);
  const policy = createPolicyService({ store });
  const inbox = createTaxii11InboxService({ destinations: policyDestinations(policy), objects, organizations: store.organizations, policy, validate, ...deps });
  return {
    db,
    store,
    objects,
    policy,
    inbox,
    async hubId(collectionId, provider, stix1Id) {
      const { rows } = await db.query<{ object_id: string }>('SELECT object_id FROM hub_object_keys WHERE scope = $1 AND key = $2', [collectionId, stix1Key(provider, stix1Id)]);
      return rows[0]?.object_id;
    },
    async history(collectionId, id) {
      return objects.objectHistory(collectionId, readScope(await policy.current(), operator, collectionId), id);
    },
    close: () => db.close(),
  };
}

/** The HubError `promise` is rejected with (anything else fails the test). */
export async function refusal(promise: Promise<unknown>): Promise<HubError> {
  try {
    await promise;
  } catch (error) {
    if (isHubError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}
