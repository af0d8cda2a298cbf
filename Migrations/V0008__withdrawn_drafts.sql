-- domain.md: a proposal may be withdrawn "from any open state", and a draft is open: a member
-- may abandon a draft it never sent. Such a proposal stays unsubmitted (submitted_at NULL),
-- which is also what keeps it out of staff's sight. V0003's check assumed that everything past
-- draft had been submitted; it now allows the one exception.
ALTER TABLE proposals DROP CONSTRAINT proposals_check;
ALTER TABLE proposals ADD CONSTRAINT proposals_submitted_check
  CHECK (status IN ('draft', 'withdrawn') OR submitted_at IS NOT NULL);
