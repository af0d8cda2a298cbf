-- CSV imports by staff (地区カルテ figures, regional needs): an uploaded file is kept here between
-- the preview and the confirm step, so confirming writes exactly what was previewed, without a
-- second upload. A batch belongs to the staff user who uploaded it; only they can confirm it, and
-- only once (status pending → imported). Pending batches expire after a day.
CREATE TABLE import_batches (
  id              uuid PRIMARY KEY,
  council_id      uuid NOT NULL REFERENCES councils(id),
  kind            text NOT NULL CHECK (kind IN ('needs', 'district_profiles')),
  uploaded_by     uuid NOT NULL REFERENCES users(id),
  filename        text NOT NULL CHECK (length(filename) <= 255),
  -- What the bytes were read as; the text below is already decoded (and without a BOM).
  encoding        text NOT NULL CHECK (encoding IN ('utf8', 'utf8_bom', 'shift_jis')),
  content         text NOT NULL,
  content_sha256  text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  byte_count      integer NOT NULL CHECK (byte_count BETWEEN 1 AND 2097152),
  row_count       integer NOT NULL CHECK (row_count >= 0),
  problem_count   integer NOT NULL CHECK (problem_count >= 0),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'imported')),
  -- What the confirm step wrote: {"created": n, "updated": n, ...}.
  result          jsonb,
  expires_at      timestamptz NOT NULL,
  imported_at     timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'imported') = (imported_at IS NOT NULL))
);
CREATE INDEX import_batches_user_idx ON import_batches (uploaded_by, created_at DESC);
CREATE INDEX import_batches_expiry_idx ON import_batches (expires_at) WHERE status = 'pending';
CREATE TRIGGER import_batches_touch BEFORE UPDATE ON import_batches FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
