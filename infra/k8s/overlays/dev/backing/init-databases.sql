-- One role and one database per service: each service can connect to its own database only (CONNECT is revoked
-- from PUBLIC). The services create their schema at start-up; the database already exists, so they need no CREATEDB.
CREATE ROLE gateway LOGIN PASSWORD 'dev-gateway';
CREATE ROLE router LOGIN PASSWORD 'dev-router';
CREATE ROLE tools LOGIN PASSWORD 'dev-tools';
CREATE ROLE transcripts LOGIN PASSWORD 'dev-transcripts';
CREATE ROLE billing LOGIN PASSWORD 'dev-billing';
CREATE ROLE insights LOGIN PASSWORD 'dev-insights';
CREATE DATABASE gateway OWNER gateway;
CREATE DATABASE router OWNER router;
CREATE DATABASE tools OWNER tools;
CREATE DATABASE transcripts OWNER transcripts;
CREATE DATABASE billing OWNER billing;
CREATE DATABASE insights OWNER insights;
REVOKE CONNECT ON DATABASE gateway, router, tools, transcripts, billing, insights FROM PUBLIC;
GRANT CONNECT ON DATABASE gateway TO gateway;
GRANT CONNECT ON DATABASE router TO router;
GRANT CONNECT ON DATABASE tools TO tools;
GRANT CONNECT ON DATABASE transcripts TO transcripts;
GRANT CONNECT ON DATABASE billing TO billing;
GRANT CONNECT ON DATABASE insights TO insights;
