-- Call recording, per tenant: off unless the tenant switches it on (a session can still override it).
ALTER TABLE tenants ADD COLUMN recording_enabled boolean NOT NULL DEFAULT false;
