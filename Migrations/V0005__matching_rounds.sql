-- Matching rounds (マッチングラウンド): inputs, every kept pair with its breakdown, the proposed
-- assignment(s), staff decisions, and the introductions (協業先マッチング) accepted pairs become.

CREATE TABLE matching_rounds (
  id                  uuid PRIMARY KEY,
  council_id          uuid NOT NULL REFERENCES councils(id),
  run_by              uuid REFERENCES users(id),
  candidates_kind     text NOT NULL CHECK (candidates_kind IN ('members', 'proposals')),
  status              text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
  progress            numeric(5,4) NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  weight_set_name     text NOT NULL,
  weight_set_version  text NOT NULL,
  weights             jsonb NOT NULL,
  filters             jsonb NOT NULL DEFAULT '{}'::jsonb,
  top_l               integer NOT NULL DEFAULT 50 CHECK (top_l BETWEEN 1 AND 1000),
  coverage_bonus      bigint NOT NULL DEFAULT 1000000 CHECK (coverage_bonus >= 0),
  engine_version      text NOT NULL,
  snapshot_hash       text,
  snapshot            jsonb,
  timings             jsonb NOT NULL DEFAULT '{}'::jsonb,
  optimal_summary     jsonb,
  greedy_summary      jsonb,
  error_message       text,
  started_at          timestamptz,
  completed_at        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX matching_rounds_council_idx ON matching_rounds (council_id, created_at DESC);
-- Queued rounds are picked up with FOR UPDATE SKIP LOCKED.
CREATE INDEX matching_rounds_queue_idx ON matching_rounds (created_at) WHERE status = 'queued';
CREATE TRIGGER matching_rounds_touch BEFORE UPDATE ON matching_rounds FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Candidate ids are member or proposal ids depending on the round's candidates_kind.
CREATE TABLE matching_pairs (
  round_id      uuid NOT NULL REFERENCES matching_rounds(id) ON DELETE CASCADE,
  need_id       uuid NOT NULL REFERENCES needs(id),
  candidate_id  uuid NOT NULL,
  rank          integer NOT NULL CHECK (rank >= 1),
  score         double precision NOT NULL,
  contributions jsonb NOT NULL,
  explanations  jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (round_id, need_id, candidate_id)
);
CREATE INDEX matching_pairs_rank_idx ON matching_pairs (round_id, need_id, rank);
CREATE INDEX matching_pairs_candidate_idx ON matching_pairs (round_id, candidate_id);

-- One row per assigned pair per solution; solution 0 is the first solve, each re-solve adds one.
CREATE TABLE matching_assignments (
  round_id      uuid NOT NULL REFERENCES matching_rounds(id) ON DELETE CASCADE,
  solution      integer NOT NULL CHECK (solution >= 0),
  method        text NOT NULL CHECK (method IN ('optimal', 'greedy')),
  need_id       uuid NOT NULL REFERENCES needs(id),
  candidate_id  uuid NOT NULL,
  score         double precision NOT NULL,
  fixed         boolean NOT NULL DEFAULT false,
  PRIMARY KEY (round_id, solution, method, need_id, candidate_id)
);

-- Why each need's runner-up lost, per solution.
CREATE TABLE matching_runner_ups (
  round_id      uuid NOT NULL REFERENCES matching_rounds(id) ON DELETE CASCADE,
  solution      integer NOT NULL CHECK (solution >= 0),
  need_id       uuid NOT NULL REFERENCES needs(id),
  candidate_id  uuid NOT NULL,
  reason        text NOT NULL CHECK (reason IN ('capacity_used_elsewhere', 'score_gap', 'not_needed', 'filtered')),
  details       jsonb NOT NULL DEFAULT '{}'::jsonb,
  explanation   text NOT NULL DEFAULT '',
  PRIMARY KEY (round_id, solution, need_id)
);

CREATE TABLE introductions (
  id                     uuid PRIMARY KEY,
  council_id             uuid NOT NULL REFERENCES councils(id),
  round_id               uuid REFERENCES matching_rounds(id),
  need_id                uuid NOT NULL REFERENCES needs(id),
  member_id              uuid NOT NULL REFERENCES members(id),
  proposal_id            uuid REFERENCES proposals(id),
  status                 text NOT NULL DEFAULT 'introduced' CHECK (status IN ('introduced', 'in_talks', 'collaborating', 'ended')),
  note                   text NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
  created_by             uuid REFERENCES users(id),
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX introductions_need_idx ON introductions (need_id);
CREATE INDEX introductions_member_idx ON introductions (member_id);
CREATE TRIGGER introductions_touch BEFORE UPDATE ON introductions FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

ALTER TABLE support_provided ADD COLUMN introduction_id uuid REFERENCES introductions(id);
ALTER TABLE support_provided DROP CONSTRAINT support_provided_target_check;
ALTER TABLE support_provided ADD CONSTRAINT support_provided_target_check
  CHECK (working_group_id IS NOT NULL OR proposal_id IS NOT NULL OR introduction_id IS NOT NULL);

CREATE TABLE matching_decisions (
  id                uuid PRIMARY KEY,
  council_id        uuid NOT NULL REFERENCES councils(id),
  round_id          uuid NOT NULL REFERENCES matching_rounds(id) ON DELETE CASCADE,
  need_id           uuid NOT NULL REFERENCES needs(id),
  candidate_id      uuid NOT NULL,
  decision          text NOT NULL CHECK (decision IN ('accepted', 'held', 'rejected')),
  note              text NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
  introduction_id   uuid REFERENCES introductions(id),
  working_group_id  uuid REFERENCES working_groups(id),
  decided_by        uuid REFERENCES users(id),
  decided_at        timestamptz NOT NULL DEFAULT now(),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  -- The latest decision on a pair is the one that counts; the history stays.
  FOREIGN KEY (round_id, need_id, candidate_id) REFERENCES matching_pairs (round_id, need_id, candidate_id)
);
CREATE INDEX matching_decisions_pair_idx ON matching_decisions (round_id, need_id, candidate_id, decided_at DESC);

ALTER TABLE working_groups ADD COLUMN origin_round_id uuid REFERENCES matching_rounds(id);
