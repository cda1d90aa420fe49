-- Insights: per-event facts (each table keyed by the event id, so a redelivered event inserts nothing) and hourly
-- aggregate buckets with latency sketches. No foreign keys: events arrive in any order (the Gateway's quality events
-- may precede the Router's SessionStarted), and every fact is stored as it arrives.

-- One row per session, opened by whichever event names it first. Dimensions come from SessionStarted (authoritative)
-- or, until it arrives, from the first Gateway event that carries them.
CREATE TABLE sessions (
    session_id        text PRIMARY KEY,
    tenant_id         uuid NOT NULL,
    model             text NULL,
    provider          text NULL,
    route             text NULL,
    experiment_id     text NULL,
    experiment_arm    text NULL,
    started_at        timestamptz NULL,
    started_event_id  uuid NULL,
    ended_at          timestamptz NULL,
    end_reason        text NULL,
    duration_ms       bigint NULL,
    ended_event_id    uuid NULL,
    end_category      text NULL,
    first_seen_at     timestamptz NOT NULL
);
CREATE INDEX sessions_tenant_start ON sessions (tenant_id, (COALESCE(started_at, first_seen_at)));
CREATE INDEX sessions_tenant_experiment ON sessions (tenant_id, experiment_id, experiment_arm) WHERE experiment_id IS NOT NULL;

-- Every tenant that ever had a session here: what the retention job walks (reading it from the fact tables would scan them).
CREATE TABLE tenants (
    tenant_id uuid PRIMARY KEY
);

-- TurnMeasured.
CREATE TABLE turns (
    event_id              uuid PRIMARY KEY,
    tenant_id             uuid NOT NULL,
    session_id            text NOT NULL,
    response_id           text NOT NULL,
    occurred_at           timestamptz NOT NULL,
    model                 text NOT NULL,
    provider              text NOT NULL,
    route                 text NULL,
    experiment_id         text NULL,
    experiment_arm        text NULL,
    trigger               text NOT NULL,
    turn_end_ms           bigint NULL,
    response_latency_ms   bigint NULL,
    first_text_latency_ms bigint NULL,
    status                text NOT NULL,
    audio_out_ms          bigint NOT NULL,
    interrupted           boolean NOT NULL,
    interrupted_after_ms  bigint NULL,
    max_stall_ms          bigint NOT NULL,
    items                 jsonb NOT NULL
);
CREATE INDEX turns_session ON turns (session_id, occurred_at);
CREATE INDEX turns_tenant_occurred ON turns (tenant_id, occurred_at);

-- SessionMeasured: one per client connection of a session; the session's totals are their sums.
CREATE TABLE connections (
    event_id                 uuid PRIMARY KEY,
    tenant_id                uuid NOT NULL,
    session_id               text NOT NULL,
    connection_id            text NOT NULL,
    model                    text NOT NULL,
    provider                 text NOT NULL,
    route                    text NULL,
    experiment_id            text NULL,
    experiment_arm           text NULL,
    opened_at                timestamptz NOT NULL,
    duration_ms              bigint NOT NULL,
    turns                    integer NOT NULL,
    audio_in_ms              bigint NOT NULL,
    audio_out_ms             bigint NOT NULL,
    interruptions            integer NOT NULL,
    false_interruptions      integer NOT NULL,
    responses_cancelled      integer NOT NULL,
    input_frames_dropped     integer NOT NULL,
    client_messages_rejected integer NOT NULL,
    end_reason               text NOT NULL,
    end_category             text NOT NULL
);
CREATE INDEX connections_session ON connections (session_id, opened_at);
CREATE INDEX connections_tenant_opened ON connections (tenant_id, opened_at);

-- ToolCallMeasured (client-executed calls). superseded: an "unanswered" record whose call id the Tools service
-- reported as a server call (ToolInvoked): that call counts once, as the server's.
CREATE TABLE client_tool_calls (
    event_id        uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL,
    session_id      text NOT NULL,
    call_id         text NOT NULL,
    tool_name       text NOT NULL,
    outcome         text NOT NULL,
    latency_ms      bigint NOT NULL,
    occurred_at     timestamptz NOT NULL,
    model           text NOT NULL,
    provider        text NOT NULL,
    route           text NULL,
    experiment_id   text NULL,
    experiment_arm  text NULL,
    superseded      boolean NOT NULL DEFAULT false
);
CREATE INDEX client_tool_calls_session ON client_tool_calls (session_id, call_id);
CREATE INDEX client_tool_calls_tenant_occurred ON client_tool_calls (tenant_id, occurred_at);

-- ToolInvoked (server-executed calls). bucket_start: the aggregate bucket it was counted in, null while the session's
-- dimensions are unknown (counted when they arrive).
CREATE TABLE server_tool_calls (
    event_id        uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL,
    session_id      text NOT NULL,
    call_id         text NOT NULL,
    tool_name       text NOT NULL,
    built_in        boolean NOT NULL,
    outcome         text NOT NULL,
    latency_ms      bigint NOT NULL,
    invoked_at      timestamptz NOT NULL,
    aggregated      boolean NOT NULL DEFAULT false
);
CREATE INDEX server_tool_calls_session ON server_tool_calls (session_id, call_id);
CREATE INDEX server_tool_calls_tenant_invoked ON server_tool_calls (tenant_id, invoked_at);

-- ContinuityEventRecorded.
CREATE TABLE continuity_events (
    event_id     uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL,
    session_id   text NOT NULL,
    kind         text NOT NULL,
    occurred_at  timestamptz NOT NULL,
    at_ms        bigint NULL,
    duration_ms  bigint NOT NULL,
    detail       text NULL
);
CREATE INDEX continuity_events_session ON continuity_events (session_id, occurred_at);
CREATE INDEX continuity_events_tenant_occurred ON continuity_events (tenant_id, occurred_at);

-- UsagePriced (Billing): the session's cost is their sum.
CREATE TABLE usage_costs (
    event_id     uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL,
    session_id   text NOT NULL,
    cost_usd     numeric(20, 12) NOT NULL,
    occurred_at  timestamptz NOT NULL
);
CREATE INDEX usage_costs_session ON usage_costs (session_id);
CREATE INDEX usage_costs_tenant_occurred ON usage_costs (tenant_id, occurred_at);

-- Hourly aggregates per tenant × dimensions ('' for an absent route / experiment / arm: key columns cannot be null).
-- Counters are added to; the *_sketch columns are HdrHistogram V2 encodings, merged at query time.
CREATE TABLE quality_buckets (
    tenant_id              uuid NOT NULL,
    bucket_start           timestamptz NOT NULL,
    model                  text NOT NULL,
    provider               text NOT NULL,
    route                  text NOT NULL,
    experiment_id          text NOT NULL,
    experiment_arm         text NOT NULL,
    turns                  bigint NOT NULL DEFAULT 0,
    turns_interrupted      bigint NOT NULL DEFAULT 0,
    turns_cancelled        bigint NOT NULL DEFAULT 0,
    turns_failed           bigint NOT NULL DEFAULT 0,
    turn_audio_out_ms      bigint NOT NULL DEFAULT 0,
    sessions               bigint NOT NULL DEFAULT 0,
    connections            bigint NOT NULL DEFAULT 0,
    connection_duration_ms bigint NOT NULL DEFAULT 0,
    audio_in_ms            bigint NOT NULL DEFAULT 0,
    interruptions          bigint NOT NULL DEFAULT 0,
    false_interruptions    bigint NOT NULL DEFAULT 0,
    error_ends             bigint NOT NULL DEFAULT 0,
    tool_calls             bigint NOT NULL DEFAULT 0,
    tool_failures          bigint NOT NULL DEFAULT 0,
    response_latency_sketch   bytea NULL,
    first_text_latency_sketch bytea NULL,
    tool_latency_sketch       bytea NULL,
    PRIMARY KEY (tenant_id, bucket_start, model, provider, route, experiment_id, experiment_arm)
);
CREATE INDEX quality_buckets_bucket ON quality_buckets (bucket_start);
