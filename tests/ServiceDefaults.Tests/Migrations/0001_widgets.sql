-- Deliberately not idempotent (no IF NOT EXISTS): applying it twice fails, and migration_log counts applications.
CREATE TABLE widgets (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE migration_log (version text NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp());
INSERT INTO migration_log (version) VALUES ('0001_widgets');
