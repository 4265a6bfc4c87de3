import type { Database } from '../../../../src/storage/sql/database';
import type { TenancyStore } from '../../../../src/storage/tenancy-store';

/** What each part of the contract suite gets: the store under test and its database (for raw checks). */
export interface ContractContext {
  store(): TenancyStore;
  db(): Database;
}
