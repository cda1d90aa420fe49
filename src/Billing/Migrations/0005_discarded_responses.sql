-- Exactly-once across a Router change: a usage row names the client request it answers and the Router attempt that
-- produced it; a ResponsesDiscarded tombstone per (session, request) voids the rows of lower attempts. The ledger stays
-- append-only: a voided row is reversed by a new row (`reverses` = its event id) with every amount negated, in the same
-- period (same occurred_at), so sums net to zero; a row that arrives after its tombstone is not appended at all.
ALTER TABLE usage_ledger
    ADD COLUMN request_seq bigint NULL,
    ADD COLUMN attempt     bigint NULL,
    ADD COLUMN reverses    uuid   NULL UNIQUE REFERENCES usage_ledger (event_id);

ALTER TABLE usage_ledger
    DROP CONSTRAINT usage_ledger_input_audio_tokens_check,
    DROP CONSTRAINT usage_ledger_input_text_tokens_check,
    DROP CONSTRAINT usage_ledger_input_image_tokens_check,
    DROP CONSTRAINT usage_ledger_cached_input_audio_tokens_check,
    DROP CONSTRAINT usage_ledger_cached_input_text_tokens_check,
    DROP CONSTRAINT usage_ledger_cached_input_image_tokens_check,
    DROP CONSTRAINT usage_ledger_output_audio_tokens_check,
    DROP CONSTRAINT usage_ledger_output_text_tokens_check,
    DROP CONSTRAINT usage_ledger_connection_ms_check,
    -- Usage counts up, a reversal counts down; nothing else.
    ADD CONSTRAINT usage_ledger_amount_signs CHECK (
        CASE WHEN reverses IS NULL
             THEN LEAST(input_audio_tokens, input_text_tokens, input_image_tokens, cached_input_audio_tokens, cached_input_text_tokens,
                        cached_input_image_tokens, output_audio_tokens, output_text_tokens, connection_ms) >= 0
             ELSE GREATEST(input_audio_tokens, input_text_tokens, input_image_tokens, cached_input_audio_tokens, cached_input_text_tokens,
                           cached_input_image_tokens, output_audio_tokens, output_text_tokens, connection_ms) <= 0
        END);

CREATE INDEX usage_ledger_request ON usage_ledger (tenant_id, session_id, request_seq) WHERE request_seq IS NOT NULL;

CREATE TABLE discarded_requests (
    tenant_id     uuid        NOT NULL,
    session_id    text        NOT NULL,
    request_seq   bigint      NOT NULL,
    keep_attempt  bigint      NOT NULL,
    discarded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, session_id, request_seq)
);
