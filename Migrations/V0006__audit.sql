-- Audit records: who did what to which record, when, from where. Append-only.

CREATE TABLE audit_records (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  council_id   uuid REFERENCES councils(id),
  at           timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid REFERENCES users(id),
  actor_role   text CHECK (actor_role IN ('member', 'staff', 'admin', 'system', 'anonymous')),
  action       text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
  entity       text NOT NULL CHECK (length(entity) BETWEEN 1 AND 100),
  entity_id    text,
  address      inet,
  request_id   text,
  details      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_records_at_idx ON audit_records (at DESC);
CREATE INDEX audit_records_actor_idx ON audit_records (actor_user_id, at DESC);
CREATE INDEX audit_records_entity_idx ON audit_records (entity, entity_id, at DESC);
CREATE INDEX audit_records_action_idx ON audit_records (action, at DESC);

-- Even the table owner cannot rewrite history: UPDATE, DELETE and TRUNCATE raise.
-- (The app's own role additionally gets INSERT/SELECT only; see the accounts work.)
CREATE FUNCTION audit_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_records is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_records_no_update BEFORE UPDATE OR DELETE ON audit_records
  FOR EACH ROW EXECUTE FUNCTION audit_records_append_only();
CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
  FOR EACH STATEMENT EXECUTE FUNCTION audit_records_append_only();
