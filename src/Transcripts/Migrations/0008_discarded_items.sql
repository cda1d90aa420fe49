-- Exactly-once across a Router change, for responses the client saw cut (also those the server started, which answer
-- no request): a tombstone per (session, output item) voids the assistant segments of that item from lower attempts,
-- those stored and those that arrive later (the highest keep_attempt wins).
CREATE TABLE discarded_items (
    tenant_id     uuid        NOT NULL,
    session_id    text        NOT NULL,
    item_id       text        NOT NULL,
    keep_attempt  bigint      NOT NULL,
    discarded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, session_id, item_id)
);
