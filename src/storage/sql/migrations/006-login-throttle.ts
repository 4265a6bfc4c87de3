/**
 * The login throttle's counters, shared by every hub process on one server (src/auth/sql-login-throttle.ts).
 *
 * login_throttle_attempts: one row per attempt that was let through to verify a credential, while it
 * is verified ('pending') and, when it failed, as a failure ('failed') until it leaves the throttle's
 * window. A success turns the account's failures at that address into 'cleared' ones, which still
 * count for the address but no longer for the account. scheme is 'basic' or 'api-key'; account is the
 * claimed username or API key id, whether or not it exists; address is the client address (an IPv6
 * client's /64). Rows live minutes: they are throttle state, not an audit trail,
 * so the table is unlogged (emptied after a crash, not replicated).
 */
export const sql = `
CREATE UNLOGGED TABLE login_throttle_attempts (
  id       uuid PRIMARY KEY,
  scheme   text NOT NULL CHECK (scheme IN ('basic', 'api-key')),
  address  text NOT NULL,
  account  text NOT NULL,
  state    text NOT NULL CHECK (state IN ('pending', 'failed', 'cleared')),
  at       timestamptz NOT NULL
);
CREATE INDEX login_throttle_attempts_address_idx ON login_throttle_attempts (scheme, address, account);
CREATE INDEX login_throttle_attempts_at_idx ON login_throttle_attempts (at);
`;
