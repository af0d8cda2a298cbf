-- In-app notifications, the e-mail outbox and the daily digest (issue 6, item 5).
--
-- A notification stores its kind and parameters only; its text is rendered when it is read,
-- in the reader's language. It is written in the same transaction as the change that causes it.

CREATE TABLE notifications (
  id          uuid PRIMARY KEY,
  council_id  uuid NOT NULL REFERENCES councils(id),
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('proposal_status', 'theme_call_selected', 'working_group_stage',
                                            'theme_call_published')),
  params      jsonb NOT NULL DEFAULT '{}'::jsonb,
  read_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE TRIGGER notifications_touch BEFORE UPDATE ON notifications FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- How a user wants e-mail; no row means the default, immediate. In-app notifications are always on.
-- mode_since: when the current mode was chosen, so a digest never repeats what was already mailed
-- one by one before the user switched to the digest.
CREATE TABLE notification_preferences (
  user_id         uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  email_mode      text NOT NULL DEFAULT 'immediate' CHECK (email_mode IN ('immediate', 'daily_digest', 'none')),
  mode_since      timestamptz NOT NULL DEFAULT now(),
  last_digest_at  timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER notification_preferences_touch BEFORE UPDATE ON notification_preferences
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Every e-mail goes through here, SMTP configured or not: the state change's transaction inserts the
-- row; the delivery worker sends it later and records the outcome, so nothing is lost while SMTP is down.
-- The text is rendered at delivery (and on the staff page) in the recipient's language, from the
-- notification (kind 'notification') or the notifications of the digest (kind 'digest').
CREATE TABLE email_outbox (
  id               uuid PRIMARY KEY,
  council_id       uuid NOT NULL REFERENCES councils(id),
  user_id          uuid REFERENCES users(id) ON DELETE SET NULL,
  recipient        text NOT NULL CHECK (recipient ~ '^[^@\s]+@[^@\s]+$' AND length(recipient) <= 320),
  locale           text NOT NULL CHECK (locale IN ('ja', 'en')),
  kind             text NOT NULL CHECK (kind IN ('notification', 'digest')),
  notification_id  uuid REFERENCES notifications(id) ON DELETE SET NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text CHECK (length(last_error) <= 1000),
  sent_at          timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX email_outbox_created_idx ON email_outbox (created_at DESC, id DESC);
CREATE TRIGGER email_outbox_touch BEFORE UPDATE ON email_outbox FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Which digest e-mail carried each notification. The primary key is what guarantees that a
-- notification is never put in two digests, even if two digest runs race.
CREATE TABLE notification_digest_items (
  notification_id  uuid PRIMARY KEY REFERENCES notifications(id) ON DELETE CASCADE,
  outbox_id        uuid NOT NULL REFERENCES email_outbox(id) ON DELETE CASCADE,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_digest_items_outbox_idx ON notification_digest_items (outbox_id);

-- One row per Asia/Tokyo day on which the scheduled digest ran, so that of many app instances
-- only one runs it each day.
CREATE TABLE notification_digest_runs (
  run_on      date PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now()
);
