-- Where each recording segment starts on the wall clock, so a session resumed elsewhere (several segments) is served
-- as one recording on its timeline. Rows announced before this column existed get stored_at − duration.
ALTER TABLE recordings ADD COLUMN started_at timestamptz;
UPDATE recordings SET started_at = stored_at - make_interval(secs => duration_ms / 1000.0) WHERE started_at IS NULL;
ALTER TABLE recordings ALTER COLUMN started_at SET NOT NULL;
