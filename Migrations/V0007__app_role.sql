-- The role the web application acts as. The server's pool connects with the login of
-- DATABASE_URL and asks for `role=tsunagu_app` in its start-up packet (the same as
-- SET ROLE), so `make run`, `make test` and any DATABASE_URL keep working unchanged,
-- while every query a request makes runs with these narrower rights. Migrations, seeding
-- and the CLI use their own connection as the login itself (the schema owner).
--
-- Audit records are append-only twice over: the trigger of V0006 raises on UPDATE,
-- DELETE and TRUNCATE even for the owner, and this role is never granted those rights.
--
-- NOLOGIN: nobody signs in as it; a login (superuser, or any role granted membership in
-- it) switches to it. Roles are cluster-wide, so it is created only when missing.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tsunagu_app') THEN
    CREATE ROLE tsunagu_app NOLOGIN;
  END IF;
END $$;

-- A login that is not a superuser needs membership to switch to the role.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     AND NOT pg_has_role(current_user, 'tsunagu_app', 'MEMBER') THEN
    EXECUTE format('GRANT tsunagu_app TO %I', current_user);
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO tsunagu_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tsunagu_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO tsunagu_app;

-- The two exceptions: history is read and appended only; the schema's own ledger is read only.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_records FROM tsunagu_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM tsunagu_app;

-- Tables of later migrations (working groups, matching rounds …) get the ordinary rights
-- without every file having to remember it.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tsunagu_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO tsunagu_app;
