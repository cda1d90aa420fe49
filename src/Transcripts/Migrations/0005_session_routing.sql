-- How a session was routed, from SessionStarted, beside experiment_arm (0002): the route (a tenant's virtual model name)
-- the client connected with, and the experiment that placed the session. Null when the client named a catalog model /
-- no running experiment placed it. Sessions are listed by experiment (and arm) within a tenant.
ALTER TABLE sessions
    ADD COLUMN route          text NULL,
    ADD COLUMN experiment_id  text NULL;

CREATE INDEX sessions_tenant_experiment ON sessions (tenant_id, experiment_id, started_at DESC, session_id DESC)
    WHERE experiment_id IS NOT NULL;
