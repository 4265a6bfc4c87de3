/**
 * Audience checks (issue 13): `audience_revision` is the access-policy revision a subscription's
 * audience (audience_key, migration 012) was last compared under. A subscription whose revision is
 * older than the policy an engine decides with is claimable even when no new position was written,
 * so the engine compares the audience its cursor was delivered under with the subscriber's current
 * one and delivers the access-lost / access-gained events between them. A revision (not a flag) so
 * a policy change during a delivery is never lost: that delivery records the older revision.
 */
export const sql = `
ALTER TABLE subscriptions ADD COLUMN audience_revision bigint;
`;
