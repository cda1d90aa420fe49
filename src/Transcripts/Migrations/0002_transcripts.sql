-- Session metadata from SessionStarted / SessionEnded. Either may arrive first, so a row can be opened by either;
-- the event ids record which ones were applied (redelivery changes nothing).
ALTER TABLE sessions
    ADD COLUMN experiment_arm   text NULL,
    ADD COLUMN client_protocol  text NULL,
    ADD COLUMN duration_ms      bigint NULL,
    ADD COLUMN started_event_id uuid NULL,
    ADD COLUMN ended_event_id   uuid NULL;

-- No foreign key to sessions: a segment may arrive before its session's SessionStarted.
CREATE TABLE segments (
    segment_id   uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL,
    session_id   text NOT NULL,
    item_id      text NOT NULL,
    role         text NOT NULL CHECK (role IN ('user', 'assistant')),
    text         text NOT NULL,
    start_ms     bigint NOT NULL,
    end_ms       bigint NOT NULL,
    model        text NOT NULL,
    truncated    boolean NOT NULL,
    recorded_at  timestamptz NOT NULL,
    search       tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED
);
CREATE INDEX segments_session ON segments (tenant_id, session_id, start_ms, end_ms);
CREATE INDEX segments_tenant_recorded ON segments (tenant_id, recorded_at DESC, segment_id DESC);
CREATE INDEX segments_search ON segments USING gin (search);

CREATE TABLE retention_settings (
    tenant_id      uuid PRIMARY KEY,
    retention_days integer NOT NULL CHECK (retention_days > 0),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
