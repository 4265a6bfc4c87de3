/**
 * The access policy's revision, and the shared objects.
 *
 * policy_revision: one row whose number rises with every change to organizations, trust groups,
 * their members or collections (triggers, so that the config reconciler, the admin API and any later
 * path all count). Every hub process compares it with the revision its compiled policy was built
 * from, and recompiles when it differs.
 *
 * collection_clocks + stix_objects: every stored object version has a date_added in integer
 * microseconds, unique and strictly increasing per collection. A writer takes the collection's
 * clock row FOR UPDATE and holds it until commit, so versions of one collection commit in date_added
 * order: a reader can never see a later date_added before an earlier one has committed.
 * tlp is the effective marking at write time (the object's own, or the collection's default).
 */
export const sql = `
CREATE TABLE policy_revision (
  id        integer PRIMARY KEY CHECK (id = 1),
  revision  bigint NOT NULL
);
INSERT INTO policy_revision (id, revision) VALUES (1, 1);

CREATE FUNCTION bump_policy_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE policy_revision SET revision = revision + 1 WHERE id = 1;
  RETURN NULL;
END;
$$;
CREATE TRIGGER organizations_policy AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organizations
  FOR EACH STATEMENT EXECUTE FUNCTION bump_policy_revision();
CREATE TRIGGER trust_groups_policy AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON trust_groups
  FOR EACH STATEMENT EXECUTE FUNCTION bump_policy_revision();
CREATE TRIGGER trust_group_members_policy AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON trust_group_members
  FOR EACH STATEMENT EXECUTE FUNCTION bump_policy_revision();
CREATE TRIGGER collections_policy AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON collections
  FOR EACH STATEMENT EXECUTE FUNCTION bump_policy_revision();

CREATE TABLE collection_clocks (
  collection_id    uuid PRIMARY KEY REFERENCES collections(id) ON DELETE CASCADE,
  last_date_added  bigint NOT NULL
);

-- RESTRICT: deleting a collection never silently destroys shared objects.
CREATE TABLE stix_objects (
  collection_id    uuid NOT NULL REFERENCES collections(id) ON DELETE RESTRICT,
  date_added       bigint NOT NULL,
  id               text NOT NULL,
  type             text NOT NULL,
  spec_version     text NOT NULL,
  version          bigint NOT NULL,
  provider_org_id  text NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
  tlp              text NOT NULL CHECK (tlp IN ('clear', 'green', 'amber', 'amber+strict', 'red')),
  recipients       text[] NOT NULL DEFAULT '{}',
  object           jsonb NOT NULL,
  PRIMARY KEY (collection_id, date_added),
  UNIQUE (collection_id, id, version)
);
CREATE INDEX stix_objects_provider_idx ON stix_objects (collection_id, provider_org_id, date_added);
`;
