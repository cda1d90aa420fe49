-- When each assistant item's audio played to the client (the Gateway's TurnMeasured events), on the timeline of the
-- client connection that played it (milliseconds since that connection opened at connection_opened_at). Transcripts
-- show assistant speech when the caller heard it, cut at barge-in, not when the provider generated it.
CREATE TABLE item_playback (
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
