-- Exactly-once across a Router change: an assistant segment names the client request it answers and the Router attempt
-- that produced it; a ResponsesDiscarded tombstone per (session, request) voids the segments of lower attempts, those
-- stored and those that arrive later (the highest keep_attempt wins, so the order of events does not matter).
ALTER TABLE segments
    ADD COLUMN request_seq bigint NULL,
    ADD COLUMN attempt     bigint NULL;
CREATE INDEX segments_request ON segments (tenant_id, session_id, request_seq) WHERE request_seq IS NOT NULL;

CREATE TABLE discarded_requests (
    tenant_id     uuid        NOT NULL,
    session_id    text        NOT NULL,
    request_seq   bigint      NOT NULL,
    keep_attempt  bigint      NOT NULL,
    discarded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, session_id, request_seq)
);
