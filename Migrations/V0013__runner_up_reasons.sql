-- The engine's runner-up reasons, exactly: a staff-accepted pair can fill a need
-- (filled_by_fixed_pairs), and a pair can be kept but not worth assigning (not_profitable).
ALTER TABLE matching_runner_ups DROP CONSTRAINT matching_runner_ups_reason_check;
ALTER TABLE matching_runner_ups ADD CONSTRAINT matching_runner_ups_reason_check
  CHECK (reason IN ('capacity_used_elsewhere', 'score_gap', 'filled_by_fixed_pairs', 'not_profitable'));
ALTER TABLE matching_runner_ups ADD COLUMN score_units integer NOT NULL DEFAULT 0;

-- The greedy baseline and the optimal assignment are stored per solution (0 = first solve,
-- then one per re-solve after staff decisions), with their figures.
CREATE TABLE matching_solutions (
  round_id              uuid NOT NULL REFERENCES matching_rounds(id) ON DELETE CASCADE,
  solution              integer NOT NULL CHECK (solution >= 0),
  optimal_objective     bigint NOT NULL,
  optimal_covered       integer NOT NULL,
  optimal_score_units   bigint NOT NULL,
  greedy_objective      bigint NOT NULL,
  greedy_covered        integer NOT NULL,
  greedy_score_units    bigint NOT NULL,
  fixed_pairs           integer NOT NULL DEFAULT 0,
  removed_pairs         integer NOT NULL DEFAULT 0,
  created_by            uuid REFERENCES users(id),
  created_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (round_id, solution)
);
