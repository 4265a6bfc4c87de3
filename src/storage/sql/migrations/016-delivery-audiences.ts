/**
 * Audience checks (issue 13): after an access-policy change every ACTIVE subscription becomes
 * claimable even when no new position was written (`audience_check`), so the engine compares the
 * audience its cursor was delivered under (audience_key, migration 012) with the subscriber's
 * current one and delivers the access-lost / access-gained events between them. Cleared by the
 * next success.
 */
export const sql = `
ALTER TABLE subscriptions ADD COLUMN audience_check boolean NOT NULL DEFAULT false;
`;
