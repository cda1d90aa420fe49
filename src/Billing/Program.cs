using VoicePlatform.Billing.Accounts;
using VoicePlatform.Billing.Budgets;
using VoicePlatform.Billing.Grpc;
using VoicePlatform.Billing.Ledger;
using VoicePlatform.Billing.Pricing;
using VoicePlatform.Billing.SessionRouting;
using VoicePlatform.Billing.Statements;
using VoicePlatform.Billing.Usage;
using VoicePlatform.ServiceDefaults;
using VoicePlatform.ServiceDefaults.Integrations.Messaging;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPostgresDatabase("postgres-billing", typeof(Program).Assembly);
builder.AddPriceCatalog(); // Pricing/prices.json, validated against models.json before start-up
builder.AddMessageBus(bus =>
{
    bus.AddConsumer<TenantCreatedConsumer>();
    bus.AddConsumer<UsageRecordedConsumer>(typeof(UsageRecordedConsumerDefinition)); // UsageRecorded → priced ledger row
    bus.AddConsumer<ResponsesDiscardedConsumer>(typeof(ResponsesDiscardedConsumerDefinition)); // ResponsesDiscarded → reversing rows for usage the client never saw
    bus.AddConsumer<SessionStartedConsumer>(typeof(SessionStartedConsumerDefinition)); // SessionStarted → the session's route/experiment/arm
});

builder.Services.AddSingleton<AccountStore>();
builder.Services.AddSingleton<UsageLedger>();
builder.Services.AddSingleton<UsageVoids>();
builder.Services.AddSingleton<LedgerMetrics>(); // voiceplatform.billing.cost_usd for dashboards
builder.Services.AddSingleton<SessionRoutingStore>();
builder.Services.AddSingleton<UsageReader>();
builder.Services.AddSingleton<MonthlyStatementReader>();
builder.Services.AddBudgets(); // monthly budgets: set per tenant, checked against month-to-date ledger spend

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<BillingAccountsService>();
app.MapGrpcService<BillingUsageService>(); // usage by day/model/session, session cost, monthly statement
app.Run();
