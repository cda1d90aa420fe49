-- How each session was routed, from SessionStarted: the route it was opened with, the experiment that placed it and its
-- arm (holdout for subjects outside the experiment's traffic). Kept apart from the ledger and joined at query time, so
-- usage that arrives before its session's SessionStarted is grouped correctly once SessionStarted lands.
-- One row per (tenant, session): the first SessionStarted applied wins; a redelivery or duplicate changes nothing.
CREATE TABLE session_routing (
    tenant_id       uuid NOT NULL,
    session_id      text NOT NULL,
    model           text NOT NULL,
    provider        text NOT NULL,
    route           text NULL,
    experiment_id   text NULL,
    experiment_arm  text NULL,
    started_at      timestamptz NOT NULL,
    event_id        uuid NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, session_id)
);

CREATE INDEX session_routing_experiment ON session_routing (tenant_id, experiment_id) WHERE experiment_id IS NOT NULL;
