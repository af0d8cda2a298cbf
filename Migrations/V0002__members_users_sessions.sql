-- Member organisations (参画企業・団体), their users, and what signing in needs.

-- NFKC + lower-case text used only for search; stored text stays as given.
CREATE FUNCTION search_normalise(parts text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(normalize(array_to_string(parts, ' '), NFKC))
$$;

-- A search term made safe for LIKE: its own % and _ match themselves.
CREATE FUNCTION like_escape(term text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT replace(replace(replace(term, '\', '\\'), '%', '\%'), '_', '\_')
$$;

CREATE TABLE members (
  id             uuid PRIMARY KEY,
  council_id     uuid NOT NULL REFERENCES councils(id),
  name_ja        text NOT NULL CHECK (length(name_ja) BETWEEN 1 AND 200),
  name_en        text CHECK (length(name_en) <= 200),
  kind           text NOT NULL CHECK (kind IN ('company', 'association', 'npo', 'university', 'medical_welfare',
                                               'financial', 'transport', 'community', 'public')),
  industry       text NOT NULL DEFAULT '' CHECK (length(industry) <= 100),
  domains        text[] NOT NULL DEFAULT '{}'
                 CHECK (domains <@ ARRAY['prevention', 'participation', 'daily_life']::text[]),
  city_wide      boolean NOT NULL DEFAULT false,
  tags           text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 30),
  description    text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
  capacity       integer NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 0 AND 100),
  joined_on      date,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  contact_name   text CHECK (length(contact_name) <= 200),
  contact_email  text CHECK (length(contact_email) <= 320),
  contact_phone  text CHECK (length(contact_phone) <= 40),
  is_demo        boolean NOT NULL DEFAULT false,
  search_text    text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX members_council_idx ON members (council_id, name_ja);
CREATE INDEX members_kind_idx ON members (council_id, kind);
CREATE INDEX members_domains_idx ON members USING gin (domains);
CREATE INDEX members_tags_idx ON members USING gin (tags);
CREATE INDEX members_search_idx ON members USING gin (search_text gin_trgm_ops);

-- Wards a member serves; city_wide = true stands for all of them.
CREATE TABLE member_wards (
  member_id   uuid NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  ward_code   text NOT NULL REFERENCES wards(code),
  PRIMARY KEY (member_id, ward_code)
);
CREATE INDEX member_wards_ward_idx ON member_wards (ward_code, member_id);

CREATE FUNCTION members_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_text := search_normalise(ARRAY[NEW.name_ja, coalesce(NEW.name_en, ''), NEW.industry,
                                            array_to_string(NEW.tags, ' '), NEW.description]);
  RETURN NEW;
END $$;
CREATE TRIGGER members_search BEFORE INSERT OR UPDATE ON members FOR EACH ROW EXECUTE FUNCTION members_search_text();
CREATE TRIGGER members_touch BEFORE UPDATE ON members FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE users (
  id             uuid PRIMARY KEY,
  council_id     uuid NOT NULL REFERENCES councils(id),
  email          text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 320),
  display_name   text NOT NULL DEFAULT '' CHECK (length(display_name) <= 200),
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('member', 'staff', 'admin')),
  member_id      uuid REFERENCES members(id),
  locale         text NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'en')),
  active         boolean NOT NULL DEFAULT true,
  deactivated_at timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  -- A member user belongs to exactly one organisation; staff and admins to none.
  CHECK ((role = 'member') = (member_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_member_idx ON users (member_id);
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Sessions live in PostgreSQL so that any app instance can serve any request.
-- Only a hash of the cookie value is stored.
CREATE TABLE sessions (
  id_hash       bytea PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  address       inet,
  user_agent    text CHECK (length(user_agent) <= 500)
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash  bytea NOT NULL UNIQUE,
  name        text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  last_used_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Failed and successful sign-ins, for throttling by account and by address.
CREATE TABLE login_attempts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email       text NOT NULL,
  address     inet,
  succeeded   boolean NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email_idx ON login_attempts (lower(email), at);
CREATE INDEX login_attempts_address_idx ON login_attempts (address, at);
