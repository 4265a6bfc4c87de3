import type { ConsoleSessionStore, StoredConsoleSession } from '../console-session-store';
import type { Queryable } from './database';

interface SessionRow {
  token_hash: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

const sessionOf = (row: SessionRow): StoredConsoleSession => ({
  tokenHash: row.token_hash,
  userId: row.user_id,
  createdAt: new Date(row.created_at),
  lastSeenAt: new Date(row.last_seen_at),
  expiresAt: new Date(row.expires_at),
});

export class SqlConsoleSessionStore implements ConsoleSessionStore {
  constructor(private readonly db: Queryable) {}

  async insert(s: StoredConsoleSession): Promise<void> {
    await this.db.query('INSERT INTO console_sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      s.tokenHash, s.userId, s.createdAt, s.lastSeenAt, s.expiresAt,
    ]);
  }

  async findLive(tokenHash: string, now: Date, idleSince: Date): Promise<StoredConsoleSession | undefined> {
    const { rows } = await this.db.query<SessionRow>(
      'SELECT token_hash, user_id, created_at, last_seen_at, expires_at FROM console_sessions WHERE token_hash = $1 AND expires_at > $2 AND last_seen_at > $3',
      [tokenHash, now, idleSince],
    );
    return rows[0] && sessionOf(rows[0]);
  }

  async touch(tokenHash: string, at: Date): Promise<void> {
    await this.db.query('UPDATE console_sessions SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $2', [tokenHash, at]);
  }

  async remove(tokenHash: string): Promise<void> {
    await this.db.query('DELETE FROM console_sessions WHERE token_hash = $1', [tokenHash]);
  }

  async removeOfUser(userId: string): Promise<void> {
    await this.db.query('DELETE FROM console_sessions WHERE user_id = $1', [userId]);
  }

  async removeStale(now: Date, idleSince: Date): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM console_sessions WHERE expires_at <= $1 OR last_seen_at <= $2', [now, idleSince]);
    return rowCount ?? 0;
  }
}
