import type { Database } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../src/storage/tenancy-store';
import { openTestDatabase, testEngines } from '../../support/test-databases';
import { apiKeyContract } from './contract/api-key-contract';
import { apiRootContract } from './contract/api-root-contract';
import { auditContract } from './contract/audit-contract';
import { collectionContract } from './contract/collection-contract';
import type { ContractContext } from './contract/contract-context';
import { organizationContract } from './contract/organization-contract';
import { transactionContract } from './contract/transaction-contract';
import { trustGroupContract } from './contract/trust-group-contract';
import { userContract } from './contract/user-contract';

/** The one contract every engine passes. Tests share a database and use fresh ids instead of cleaning up. */
describe.each(testEngines())('tenancy store on %s', (engine) => {
  let db: Database | undefined;
  let store: TenancyStore | undefined;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    store = createSqlTenancyStore(db);
  });

  afterAll(async () => {
    await db?.close();
  });

  const ctx: ContractContext = {
    store: () => {
      if (!store) throw new Error('the store is not open');
      return store;
    },
    db: () => {
      if (!db) throw new Error('the database is not open');
      return db;
    },
  };

  test('reports the engine it runs on', () => {
    expect(ctx.store().engine).toBe(engine);
  });

  organizationContract(ctx);
  userContract(ctx);
  apiKeyContract(ctx);
  apiRootContract(ctx);
  collectionContract(ctx);
  trustGroupContract(ctx);
  auditContract(ctx);
  transactionContract(ctx);
});
