import type { Database } from '../storage/sql/database';
import type { LoginThrottle } from './login-throttle';
import { MemoryLoginThrottle } from './memory-login-throttle';
import { SqlLoginThrottle } from './sql-login-throttle';

/**
 * The login throttle for a hub on this database. A PostgreSQL server may serve several hub processes,
 * so their counters live in the database and every process sees every failure. The embedded store
 * has exactly one process (its directory lock sees to that), so its counters stay in memory and a
 * flood of bad logins adds no writes to its single connection.
 */
export function loginThrottleOn(db: Database): LoginThrottle {
  return db.engine === 'postgres' ? new SqlLoginThrottle(db) : new MemoryLoginThrottle();
}
