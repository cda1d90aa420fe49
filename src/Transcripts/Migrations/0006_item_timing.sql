-- When each item was heard, from the Gateway's TurnMeasured events: an assistant item's audio as it played to the client
-- (cut at barge-in), a user item's speech as the client sent it; on the timeline of the client connection concerned
-- (milliseconds since it opened at connection_opened_at). Transcripts show speech when it was heard, not when the
-- provider generated or transcribed it.
CREATE TABLE item_timing (
    tenant_id             uuid        NOT NULL,
    session_id            text        NOT NULL,
    item_id               text        NOT NULL,
    connection_opened_at  timestamptz NOT NULL,
    start_ms              bigint      NOT NULL,
    end_ms                bigint      NOT NULL,
    truncated             boolean     NOT NULL,
    recorded_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, session_id, item_id)
);
