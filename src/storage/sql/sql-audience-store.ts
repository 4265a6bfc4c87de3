import { createHash } from 'node:crypto';
import type { ReadScope } from '../../access/read-scope';
import { canonicalJson } from '../../domain/canonical-json';
import type { AudienceStore } from '../change-feed-store';
import type { Queryable } from './database';

/**
 * The AudienceStore over SQL (audiences, migration 012). A scope's key is a digest of its canonical
 * JSON (base64url of the first 16 bytes of SHA-256: no '.', so it fits in a cursor), the same in
 * every hub process; a scope is stored once (ON CONFLICT DO NOTHING) and never changes.
 */
export class SqlAudienceStore implements AudienceStore {
  /** Keys this process stored or read: remember() costs a query once per scope. */
  private readonly known = new Map<string, ReadScope>();

  constructor(private readonly db: Queryable) {}

  async remember(scope: ReadScope): Promise<string> {
    const text = canonicalJson(scope);
    const key = audienceKey(text);
    if (!this.known.has(key)) {
      await this.db.query('INSERT INTO audiences (key, scope) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING', [key, text]);
      this.known.set(key, JSON.parse(text) as ReadScope);
    }
    return key;
  }

  async scopeOf(key: string): Promise<ReadScope | undefined> {
    const cached = this.known.get(key);
    if (cached !== undefined) return cached;
    const { rows } = await this.db.query<{ scope: ReadScope }>('SELECT scope FROM audiences WHERE key = $1', [key]);
    const scope = rows[0]?.scope;
    if (scope !== undefined) this.known.set(key, scope);
    return scope;
  }
}

/** The key of a scope's canonical JSON. */
export function audienceKey(canonicalScope: string): string {
  return createHash('sha256').update(canonicalScope).digest().subarray(0, 16).toString('base64url');
}
