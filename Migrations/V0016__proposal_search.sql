-- Keyword search on proposals (issue 6: members, needs and proposals), like members and needs:
-- NFKC + lower-case text, matched with LIKE so two-character Japanese words (福祉, 見守) are found.
-- A generated column rather than a trigger: adding it must not touch updated_at, which orders a
-- member's own list.
ALTER TABLE proposals
  ADD COLUMN search_text text GENERATED ALWAYS AS (search_normalise(ARRAY[title, summary, body] || tags)) STORED;
CREATE INDEX proposals_search_idx ON proposals USING gin (search_text gin_trgm_ops);
