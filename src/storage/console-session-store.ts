/** Where the web console's sessions are kept: by the digest of their token, never the token itself. */

export interface StoredConsoleSession {
  readonly tokenHash: string;
  readonly userId: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
}

export interface ConsoleSessionStore {
  insert(session: StoredConsoleSession): Promise<void>;
  /** The session with this token digest that is still valid at `now` (not expired, not idle past `idleSince`). */
  findLive(tokenHash: string, now: Date, idleSince: Date): Promise<StoredConsoleSession | undefined>;
  /** Moves `last_seen_at` forward (the idle timeout starts again). */
  touch(tokenHash: string, at: Date): Promise<void>;
  remove(tokenHash: string): Promise<void>;
  removeOfUser(userId: string): Promise<void>;
  /** Deletes sessions past their expiry or idle longer than allowed; returns how many. */
  removeStale(now: Date, idleSince: Date): Promise<number>;
}
