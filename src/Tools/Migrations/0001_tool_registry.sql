CREATE TABLE tools (
    tenant_id        uuid NOT NULL,
    name             text NOT NULL,
    description      text NOT NULL,
    parameters       jsonb NOT NULL,
    webhook_url      text NOT NULL,
    timeout_ms       integer NOT NULL DEFAULT 10000,
    retry_safe       boolean NOT NULL DEFAULT false,
    secret_hash      bytea NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);
