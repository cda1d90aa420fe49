-- The priced usage ledger: one row per UsageRecorded event (unique by event id), appended, never changed.
-- Money is numeric (exact); the price version the row was priced with is kept, so a later price never reprices it.
CREATE TABLE usage_ledger (
    event_id                   uuid PRIMARY KEY,
    tenant_id                  uuid NOT NULL,
    session_id                 text NOT NULL,
    model                      text NOT NULL,
    provider                   text NOT NULL,
    occurred_at                timestamptz NOT NULL,
    input_audio_tokens         bigint NOT NULL CHECK (input_audio_tokens >= 0),
    input_text_tokens          bigint NOT NULL CHECK (input_text_tokens >= 0),
    input_image_tokens         bigint NOT NULL CHECK (input_image_tokens >= 0),
    cached_input_audio_tokens  bigint NOT NULL CHECK (cached_input_audio_tokens >= 0),
    cached_input_text_tokens   bigint NOT NULL CHECK (cached_input_text_tokens >= 0),
    cached_input_image_tokens  bigint NOT NULL CHECK (cached_input_image_tokens >= 0),
    output_audio_tokens        bigint NOT NULL CHECK (output_audio_tokens >= 0),
    output_text_tokens         bigint NOT NULL CHECK (output_text_tokens >= 0),
    connection_ms              bigint NOT NULL CHECK (connection_ms >= 0),
    price_version              text NOT NULL,
    cost_usd                   numeric NOT NULL,
    recorded_at                timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX usage_ledger_tenant_time ON usage_ledger (tenant_id, occurred_at);
CREATE INDEX usage_ledger_tenant_session ON usage_ledger (tenant_id, session_id);

-- Append-only is enforced, not just intended: corrections are new rows, never edits.
CREATE FUNCTION usage_ledger_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'usage_ledger is append-only';
END
$$;

CREATE TRIGGER usage_ledger_append_only BEFORE UPDATE OR DELETE ON usage_ledger
    FOR EACH ROW EXECUTE FUNCTION usage_ledger_reject_change();
