/**
 * Two sharing settings, both with defaults under which every existing row reads as before.
 *
 * collections.unmarked: what happens to an object posted without a TLP marking: 'default' stores it
 * with the collection's default_marking in its object_marking_refs, 'refuse' refuses it.
 *
 * collections.attribution, trust_groups.attribution: 'hidden' keeps consumers outside a provider's
 * own organization from learning which member provided an object. A collection is hidden when it
 * says so itself or when a trust group governing it does (computed by the compiled policy).
 *
 * The triggers of 002 bump the policy revision on every later change to these columns.
 */
export const sql = `
ALTER TABLE collections
  ADD COLUMN unmarked text NOT NULL DEFAULT 'default' CONSTRAINT collections_unmarked_check CHECK (unmarked IN ('default', 'refuse')),
  ADD COLUMN attribution text NOT NULL DEFAULT 'attributed' CONSTRAINT collections_attribution_check CHECK (attribution IN ('attributed', 'hidden'));
ALTER TABLE trust_groups
  ADD COLUMN attribution text NOT NULL DEFAULT 'attributed' CONSTRAINT trust_groups_attribution_check CHECK (attribution IN ('attributed', 'hidden'));
`;
