CREATE TABLE sessions (
    session_id   text PRIMARY KEY,
    tenant_id    uuid NOT NULL,
    model        text NOT NULL,
    provider     text NOT NULL,
    started_at   timestamptz NOT NULL,
    ended_at     timestamptz NULL,
    end_reason   text NULL
);
CREATE INDEX sessions_tenant_started ON sessions (tenant_id, started_at DESC, session_id DESC);
