/** TAXII 1.1 multi-part poll result sets (the TAXII 1.1 poll service fills this in). */
export const sql = `
SELECT 1;
`;
