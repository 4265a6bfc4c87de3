/** Organizations, users, API keys, API roots, collections, trust groups, and the audit trail. */
export const sql = `
CREATE TABLE organizations (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  parent_id   text REFERENCES organizations(id) ON DELETE RESTRICT,
  managed_by  text NOT NULL CHECK (managed_by IN ('config', 'admin')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id IS NULL OR parent_id <> id)
);

CREATE TABLE users (
  id               uuid PRIMARY KEY,
  username         text NOT NULL UNIQUE,
  organization_id  text NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
  roles            text[] NOT NULL,
  password_hash    text,
  disabled         boolean NOT NULL DEFAULT false,
  managed_by       text NOT NULL CHECK (managed_by IN ('config', 'admin')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_organization_idx ON users (organization_id);

CREATE TABLE api_keys (
  id           text PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         text NOT NULL,
  secret_hash  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_keys_user_idx ON api_keys (user_id);

CREATE TABLE api_roots (
  id                  text PRIMARY KEY,
  title               text NOT NULL,
  description         text,
  max_content_length  integer NOT NULL CHECK (max_content_length > 0),
  managed_by          text NOT NULL CHECK (managed_by IN ('config', 'admin')),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE trust_groups (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  topology    text NOT NULL CHECK (topology IN ('horizontal', 'vertical', 'hybrid')),
  tree        jsonb NOT NULL DEFAULT '{}'::jsonb,
  peer_links  jsonb NOT NULL DEFAULT '[]'::jsonb,
  managed_by  text NOT NULL CHECK (managed_by IN ('config', 'admin')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Membership is a table of its own so that an organization still in a group cannot be deleted.
CREATE TABLE trust_group_members (
  group_id         text NOT NULL REFERENCES trust_groups(id) ON DELETE CASCADE,
  organization_id  text NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
  position         integer NOT NULL,
  PRIMARY KEY (group_id, organization_id)
);
CREATE INDEX trust_group_members_org_idx ON trust_group_members (organization_id);

CREATE TABLE collections (
  id               uuid PRIMARY KEY,
  api_root_id      text NOT NULL REFERENCES api_roots(id) ON DELETE RESTRICT,
  alias            text,
  title            text NOT NULL,
  description      text,
  owner_org_id     text REFERENCES organizations(id) ON DELETE RESTRICT,
  owner_group_id   text REFERENCES trust_groups(id) ON DELETE RESTRICT,
  default_marking  text NOT NULL CHECK (default_marking IN ('clear', 'green', 'amber', 'amber+strict', 'red')),
  managed_by       text NOT NULL CHECK (managed_by IN ('config', 'admin')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((owner_org_id IS NULL) <> (owner_group_id IS NULL)),
  UNIQUE (api_root_id, alias)
);

-- Append-only: the triggers below refuse UPDATE, DELETE and TRUNCATE.
CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor        text NOT NULL,
  action       text NOT NULL,
  entity_type  text NOT NULL,
  entity_id    text NOT NULL,
  before       jsonb,
  after        jsonb
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, id);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
`;
