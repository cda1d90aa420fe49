-- Per-tenant session limits, with optional lower caps per API key. NULL means "no limit".
-- The monthly budget is not here: Billing owns budgets (it owns the ledger they are checked against).
ALTER TABLE tenants
    ADD COLUMN max_concurrent_sessions       integer NULL CHECK (max_concurrent_sessions >= 0),
    ADD COLUMN max_session_starts_per_minute integer NULL CHECK (max_session_starts_per_minute >= 0);

ALTER TABLE api_keys
    ADD COLUMN max_concurrent_sessions       integer NULL CHECK (max_concurrent_sessions >= 0),
    ADD COLUMN max_session_starts_per_minute integer NULL CHECK (max_session_starts_per_minute >= 0);
