-- One billing account per tenant, opened when the Gateway announces the tenant (TenantCreated).
CREATE TABLE accounts (
    tenant_id           uuid PRIMARY KEY,
    tenant_name         text NOT NULL,
    plan                text NOT NULL DEFAULT 'pay-as-you-go',
    monthly_budget_usd  numeric(18, 6) NULL,
    opened_at           timestamptz NOT NULL DEFAULT now(),
    opened_by_event     uuid NOT NULL UNIQUE
);
