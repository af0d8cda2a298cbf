-- Theme calls (テーマ型募集), working groups (ワーキンググループ), support provided, events.

CREATE TABLE theme_calls (
  id           uuid PRIMARY KEY,
  council_id   uuid NOT NULL REFERENCES councils(id),
  title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  genre        text NOT NULL CHECK (length(genre) BETWEEN 1 AND 200),
  description  text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
  domains      text[] NOT NULL DEFAULT '{}'
               CHECK (domains <@ ARRAY['prevention', 'participation', 'daily_life']::text[]),
  deadline     timestamptz NOT NULL,
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('draft', 'open', 'closed', 'formed', 'cancelled')),
  is_demo      boolean NOT NULL DEFAULT false,
  created_by   uuid REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX theme_calls_council_idx ON theme_calls (council_id, status, deadline);
CREATE TRIGGER theme_calls_touch BEFORE UPDATE ON theme_calls FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE theme_call_needs (
  theme_call_id  uuid NOT NULL REFERENCES theme_calls(id) ON DELETE CASCADE,
  need_id        uuid NOT NULL REFERENCES needs(id),
  PRIMARY KEY (theme_call_id, need_id)
);
CREATE INDEX theme_call_needs_need_idx ON theme_call_needs (need_id);

CREATE TABLE theme_call_wards (
  theme_call_id  uuid NOT NULL REFERENCES theme_calls(id) ON DELETE CASCADE,
  ward_code      text NOT NULL REFERENCES wards(code),
  PRIMARY KEY (theme_call_id, ward_code)
);

CREATE TABLE theme_call_applications (
  id             uuid PRIMARY KEY,
  council_id     uuid NOT NULL REFERENCES councils(id),
  theme_call_id  uuid NOT NULL REFERENCES theme_calls(id),
  member_id      uuid NOT NULL REFERENCES members(id),
  statement      text NOT NULL CHECK (length(statement) BETWEEN 1 AND 4000),
  status         text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'selected', 'not_selected', 'withdrawn')),
  created_by     uuid REFERENCES users(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (theme_call_id, member_id)
);
CREATE INDEX theme_call_applications_member_idx ON theme_call_applications (member_id);
CREATE TRIGGER theme_call_applications_touch BEFORE UPDATE ON theme_call_applications
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE working_groups (
  id                    uuid PRIMARY KEY,
  council_id            uuid NOT NULL REFERENCES councils(id),
  type                  text NOT NULL CHECK (type IN ('open', 'theme')),
  title                 text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  summary               text NOT NULL DEFAULT '' CHECK (length(summary) <= 2000),
  domains               text[] NOT NULL DEFAULT '{}'
                        CHECK (cardinality(domains) >= 1
                               AND domains <@ ARRAY['prevention', 'participation', 'daily_life']::text[]),
  city_wide             boolean NOT NULL DEFAULT false,
  stage                 text NOT NULL DEFAULT 'forming'
                        CHECK (stage IN ('forming', 'active', 'piloting', 'reviewing', 'completed', 'dissolved')),
  stage_changed_at      timestamptz NOT NULL DEFAULT now(),
  origin_proposal_id    uuid REFERENCES proposals(id),
  origin_theme_call_id  uuid REFERENCES theme_calls(id),
  started_on            date,
  outcome_notes         text NOT NULL DEFAULT '' CHECK (length(outcome_notes) <= 8000),
  is_demo               boolean NOT NULL DEFAULT false,
  created_by            uuid REFERENCES users(id),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  -- A theme-type group comes from a region's need through a theme call or a matching pair,
  -- never from a company's proposal.
  CHECK (type = 'open' OR origin_proposal_id IS NULL)
);
CREATE INDEX working_groups_council_stage_idx ON working_groups (council_id, stage);
CREATE INDEX working_groups_type_idx ON working_groups (council_id, type);
CREATE INDEX working_groups_domains_idx ON working_groups USING gin (domains);
CREATE INDEX working_groups_proposal_idx ON working_groups (origin_proposal_id);
CREATE INDEX working_groups_theme_call_idx ON working_groups (origin_theme_call_id);
CREATE TRIGGER working_groups_touch BEFORE UPDATE ON working_groups FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE working_group_needs (
  working_group_id  uuid NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  need_id           uuid NOT NULL REFERENCES needs(id),
  PRIMARY KEY (working_group_id, need_id)
);
CREATE INDEX working_group_needs_need_idx ON working_group_needs (need_id);

CREATE TABLE working_group_wards (
  working_group_id  uuid NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  ward_code         text NOT NULL REFERENCES wards(code),
  PRIMARY KEY (working_group_id, ward_code)
);
CREATE INDEX working_group_wards_ward_idx ON working_group_wards (ward_code, working_group_id);

CREATE TABLE working_group_districts (
  working_group_id  uuid NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  district_id       uuid NOT NULL REFERENCES districts(id),
  PRIMARY KEY (working_group_id, district_id)
);

-- Participants are member organisations, city staff (coordinator) or local bodies that are not members.
CREATE TABLE working_group_participants (
  id                uuid PRIMARY KEY,
  council_id        uuid NOT NULL REFERENCES councils(id),
  working_group_id  uuid NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  role              text NOT NULL CHECK (role IN ('lead', 'member', 'coordinator', 'local')),
  member_id         uuid REFERENCES members(id),
  user_id           uuid REFERENCES users(id),
  display_name      text CHECK (length(display_name) <= 200),
  joined_on         date,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (member_id IS NOT NULL OR user_id IS NOT NULL OR display_name IS NOT NULL),
  -- The lead (主担当) is always a member organisation.
  CHECK (role <> 'lead' OR member_id IS NOT NULL)
);
CREATE UNIQUE INDEX working_group_participants_member_key
  ON working_group_participants (working_group_id, member_id) WHERE member_id IS NOT NULL;
CREATE UNIQUE INDEX working_group_one_lead ON working_group_participants (working_group_id) WHERE role = 'lead';
CREATE INDEX working_group_participants_member_idx ON working_group_participants (member_id);

CREATE TABLE working_group_stage_history (
  id                uuid PRIMARY KEY,
  council_id        uuid NOT NULL REFERENCES councils(id),
  working_group_id  uuid NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  from_stage        text CHECK (from_stage IN ('forming', 'active', 'piloting', 'reviewing', 'completed', 'dissolved')),
  to_stage          text NOT NULL CHECK (to_stage IN ('forming', 'active', 'piloting', 'reviewing', 'completed', 'dissolved')),
  note              text NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
  actor_user_id     uuid REFERENCES users(id),
  at                timestamptz NOT NULL DEFAULT now(),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX working_group_stage_history_wg_idx ON working_group_stage_history (working_group_id, at);

CREATE TABLE working_group_activities (
  id                uuid PRIMARY KEY,
  council_id        uuid NOT NULL REFERENCES councils(id),
  working_group_id  uuid NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  kind              text NOT NULL CHECK (kind IN ('meeting', 'decision', 'result', 'note')),
  occurred_on       date NOT NULL,
  title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body              text NOT NULL DEFAULT '' CHECK (length(body) <= 8000),
  links             text[] NOT NULL DEFAULT '{}' CHECK (cardinality(links) <= 20),
  created_by        uuid REFERENCES users(id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX working_group_activities_wg_idx ON working_group_activities (working_group_id, occurred_on DESC);

-- Support-menu items the city provided: to a working group, a proposal or an introduction.
CREATE TABLE support_provided (
  id                uuid PRIMARY KEY,
  council_id        uuid NOT NULL REFERENCES councils(id),
  working_group_id  uuid REFERENCES working_groups(id) ON DELETE CASCADE,
  proposal_id       uuid REFERENCES proposals(id),
  item              text NOT NULL CHECK (item IN ('needs_sharing', 'administrative_data', 'stakeholder_coordination',
                                                  'partner_matching', 'pr_support', 'event_sponsorship')),
  owner_department  text NOT NULL CHECK (length(owner_department) BETWEEN 1 AND 200),
  status            text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'in_progress', 'done')),
  note              text NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT support_provided_target_check CHECK (working_group_id IS NOT NULL OR proposal_id IS NOT NULL)
);
CREATE INDEX support_provided_wg_idx ON support_provided (working_group_id);
CREATE INDEX support_provided_item_idx ON support_provided (council_id, item, status);
CREATE TRIGGER support_provided_touch BEFORE UPDATE ON support_provided FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE events (
  id                uuid PRIMARY KEY,
  council_id        uuid NOT NULL REFERENCES councils(id),
  kind              text NOT NULL CHECK (kind IN ('council_meeting', 'study_session', 'exchange_meeting', 'wg_meeting')),
  title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description       text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
  starts_at         timestamptz NOT NULL,
  ends_at           timestamptz,
  place             text NOT NULL DEFAULT '' CHECK (length(place) <= 200),
  working_group_id  uuid REFERENCES working_groups(id),
  capacity          integer CHECK (capacity > 0),
  is_demo           boolean NOT NULL DEFAULT false,
  created_by        uuid REFERENCES users(id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at IS NULL OR ends_at >= starts_at),
  CHECK (kind <> 'wg_meeting' OR working_group_id IS NOT NULL)
);
CREATE INDEX events_council_starts_idx ON events (council_id, starts_at);
CREATE INDEX events_kind_idx ON events (council_id, kind);
CREATE TRIGGER events_touch BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE event_registrations (
  event_id    uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  member_id   uuid NOT NULL REFERENCES members(id),
  user_id     uuid REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, member_id)
);

-- New cases an exchange meeting (交流会) created: a proposal, a working group, or a note.
CREATE TABLE event_outcomes (
  id                uuid PRIMARY KEY,
  council_id        uuid NOT NULL REFERENCES councils(id),
  event_id          uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  proposal_id       uuid REFERENCES proposals(id),
  working_group_id  uuid REFERENCES working_groups(id),
  note              text NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_outcomes_event_idx ON event_outcomes (event_id);
