/**
 * console_sessions: the web console's sign-ins (issue 16). The browser holds a random token in an
 * HttpOnly cookie; the hub keeps only its SHA-256 digest, so a copy of the database signs nobody in.
 * A session ends at `expires_at` (absolute) or after `idle_timeout` without a request
 * (`last_seen_at` is moved forward as it is used); logging out deletes the row, and deleting the
 * user deletes its sessions.
 */
export const sql = `
CREATE TABLE console_sessions (
  token_hash    text PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX console_sessions_user_idx ON console_sessions (user_id);
CREATE INDEX console_sessions_expires_idx ON console_sessions (expires_at);
`;
