CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Only a SHA-256 hash of each key's secret is stored; the key itself is shown once when issued.
CREATE TABLE api_keys (
    id           text PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    name         text NOT NULL,
    secret_hash  bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz NULL
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

-- Transactional outbox: events are written with the change that causes them and published afterwards,
-- so a RabbitMQ outage never loses one.
CREATE TABLE outbox (
    id            uuid PRIMARY KEY,
    message_type  text NOT NULL,
    payload       jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz NULL
);
CREATE INDEX outbox_unpublished ON outbox (created_at) WHERE published_at IS NULL;
