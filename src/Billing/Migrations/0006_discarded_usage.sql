-- Exactly-once across a Router change, for responses the client saw cut (also those the server started, which answer
-- no request): a tombstone per usage event (its id derives from the session and the response id) voids that usage from
-- lower attempts — reversed if it is in the ledger, not appended if it arrives later (the highest keep_attempt wins).
CREATE TABLE discarded_usage (
    tenant_id     uuid        NOT NULL,
    session_id    text        NOT NULL,
    event_id      uuid        NOT NULL,
    keep_attempt  bigint      NOT NULL,
    discarded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, session_id, event_id)
);
