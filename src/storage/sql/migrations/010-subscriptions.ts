/** Subscriptions and their delivery state (the delivery engine fills this in). */
export const sql = `
SELECT 1;
`;
