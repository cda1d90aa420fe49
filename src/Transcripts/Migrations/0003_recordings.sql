-- Recording metadata from RecordingStored (the audio is in the recording store under `key`). The key is unique, so a
-- redelivered or republished event changes nothing. A session resumed elsewhere may have more than one segment.
CREATE TABLE recordings (
    key          text PRIMARY KEY,
    event_id     uuid NOT NULL,
    tenant_id    uuid NOT NULL,
    session_id   text NOT NULL,
    size_bytes   bigint NOT NULL,
    duration_ms  bigint NOT NULL,
    sha256       text NOT NULL,
    sample_rate  integer NOT NULL,
    channels     integer NOT NULL,
    stored_at    timestamptz NOT NULL
);
CREATE INDEX recordings_session ON recordings (tenant_id, session_id, stored_at);
