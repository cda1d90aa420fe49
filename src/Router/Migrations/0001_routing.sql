-- The Router's own database: tenants' routes and A/B experiments (issue 15).
CREATE TABLE routes (
    tenant_id   uuid NOT NULL,
    name        text NOT NULL,
    description text NULL,
    target      jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE experiments (
    id              text PRIMARY KEY,
    tenant_id       uuid NOT NULL,
    name            text NOT NULL,
    route           text NOT NULL,
    arms            jsonb NOT NULL,
    traffic_percent integer NOT NULL CHECK (traffic_percent BETWEEN 1 AND 100),
    subject         text NOT NULL,
    status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'paused', 'stopped')),
    salt            text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz NULL,
    stopped_at      timestamptz NULL,
    UNIQUE (tenant_id, name),
    CHECK (route <> '')
);

-- One running experiment per route.
CREATE UNIQUE INDEX experiments_one_running_per_route ON experiments (tenant_id, route) WHERE status = 'running';

-- Sessions assigned per arm ('holdout' for subjects outside traffic_percent), for the sample-ratio check.
CREATE TABLE experiment_assignments (
    experiment_id text NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    arm           text NOT NULL,
    sessions      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (experiment_id, arm)
);
