import type { SecretStore } from '../../secret-store';
import type { Queryable } from '../database';

/** hub_secrets over SQL (migration 003). */
export class SqlHubSecretRepository implements SecretStore {
  constructor(private readonly db: Queryable) {}

  async getOrCreate(name: string, create: () => string): Promise<string> {
    const existing = await this.read(name);
    if (existing !== undefined) return existing;
    // DO NOTHING, then read again: when two processes race, both end up with the row that won.
    await this.db.query('INSERT INTO hub_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, create()]);
    const stored = await this.read(name);
    if (stored === undefined) throw new Error(`hub secret ${name} vanished right after it was stored`);
    return stored;
  }

  private async read(name: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ value: string }>('SELECT value FROM hub_secrets WHERE name = $1', [name]);
    return rows[0]?.value;
  }
}
