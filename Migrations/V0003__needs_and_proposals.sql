-- Regional needs (地域ニーズ) kept by city staff, and proposals (企業・団体提案) by members.

CREATE TABLE needs (
  id           uuid PRIMARY KEY,
  council_id   uuid NOT NULL REFERENCES councils(id),
  ward_code    text REFERENCES wards(code),
  district_id  uuid REFERENCES districts(id),
  domain       text NOT NULL CHECK (domain IN ('prevention', 'participation', 'daily_life')),
  title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description  text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
  tags         text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 30),
  severity     smallint NOT NULL CHECK (severity BETWEEN 1 AND 5),
  source       text NOT NULL CHECK (source IN ('care_meeting', 'district_karte', 'workshop', 'survey', 'ward_office')),
  wanted       smallint NOT NULL DEFAULT 1 CHECK (wanted BETWEEN 1 AND 20),
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'matching', 'in_progress', 'met', 'closed')),
  is_demo      boolean NOT NULL DEFAULT false,
  search_text  text NOT NULL DEFAULT '',
  created_by   uuid REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  -- A need belongs to a ward, a district, or both.
  CHECK (ward_code IS NOT NULL OR district_id IS NOT NULL)
);
CREATE INDEX needs_council_status_idx ON needs (council_id, status, created_at);
CREATE INDEX needs_domain_idx ON needs (council_id, domain);
CREATE INDEX needs_ward_idx ON needs (ward_code);
CREATE INDEX needs_district_idx ON needs (district_id);
CREATE INDEX needs_search_idx ON needs USING gin (search_text gin_trgm_ops);

-- A district's need also counts for its ward.
CREATE FUNCTION needs_derive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.district_id IS NOT NULL THEN
    SELECT ward_code INTO NEW.ward_code FROM districts WHERE id = NEW.district_id;
  END IF;
  NEW.search_text := search_normalise(ARRAY[NEW.title, NEW.description, array_to_string(NEW.tags, ' ')]);
  RETURN NEW;
END $$;
CREATE TRIGGER needs_derive BEFORE INSERT OR UPDATE ON needs FOR EACH ROW EXECUTE FUNCTION needs_derive();
CREATE TRIGGER needs_touch BEFORE UPDATE ON needs FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE proposals (
  id                 uuid PRIMARY KEY,
  council_id         uuid NOT NULL REFERENCES councils(id),
  member_id          uuid NOT NULL REFERENCES members(id),
  title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  summary            text NOT NULL DEFAULT '' CHECK (length(summary) <= 1000),
  body               text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
  domains            text[] NOT NULL DEFAULT '{}'
                     CHECK (domains <@ ARRAY['prevention', 'participation', 'daily_life']::text[]),
  city_wide          boolean NOT NULL DEFAULT false,
  tags               text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 30),
  support_menu       text[] NOT NULL DEFAULT '{}'
                     CHECK (support_menu <@ ARRAY['needs_sharing', 'administrative_data', 'stakeholder_coordination',
                                                  'partner_matching', 'pr_support', 'event_sponsorship']::text[]),
  resources_offered  text[] NOT NULL DEFAULT '{}'
                     CHECK (resources_offered <@ ARRAY['space', 'vehicles', 'staff', 'funds', 'data', 'venue',
                                                       'expertise', 'equipment', 'products']::text[]),
  track              text NOT NULL DEFAULT 'regional' CHECK (track IN ('regional', 'service_creation')),
  status             text NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'submitted', 'in_review', 'accepted', 'returned', 'declined', 'withdrawn')),
  submitted_at       timestamptz,
  decided_at         timestamptz,
  is_demo            boolean NOT NULL DEFAULT false,
  created_by         uuid REFERENCES users(id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  -- Anything past draft has been submitted at some time.
  CHECK (status = 'draft' OR submitted_at IS NOT NULL)
);
CREATE INDEX proposals_council_status_idx ON proposals (council_id, status, submitted_at);
CREATE INDEX proposals_member_idx ON proposals (member_id, updated_at);
CREATE INDEX proposals_domains_idx ON proposals USING gin (domains);
CREATE INDEX proposals_track_idx ON proposals (council_id, track);
CREATE TRIGGER proposals_touch BEFORE UPDATE ON proposals FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE proposal_wards (
  proposal_id  uuid NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
  ward_code    text NOT NULL REFERENCES wards(code),
  PRIMARY KEY (proposal_id, ward_code)
);
CREATE INDEX proposal_wards_ward_idx ON proposal_wards (ward_code, proposal_id);

CREATE TABLE proposal_districts (
  proposal_id  uuid NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
  district_id  uuid NOT NULL REFERENCES districts(id),
  PRIMARY KEY (proposal_id, district_id)
);

CREATE TABLE proposal_status_history (
  id             uuid PRIMARY KEY,
  council_id     uuid NOT NULL REFERENCES councils(id),
  proposal_id    uuid NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
  from_status    text CHECK (from_status IN ('draft', 'submitted', 'in_review', 'accepted', 'returned', 'declined', 'withdrawn')),
  to_status      text NOT NULL CHECK (to_status IN ('draft', 'submitted', 'in_review', 'accepted', 'returned', 'declined', 'withdrawn')),
  comment        text NOT NULL DEFAULT '' CHECK (length(comment) <= 4000),
  actor_user_id  uuid REFERENCES users(id),
  at             timestamptz NOT NULL DEFAULT now(),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX proposal_status_history_proposal_idx ON proposal_status_history (proposal_id, at);
