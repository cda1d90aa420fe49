using VoicePlatform.Billing.Accounts;
using VoicePlatform.Billing.Grpc;
using VoicePlatform.ServiceDefaults;
using VoicePlatform.ServiceDefaults.Integrations.Messaging;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPostgresDatabase("postgres-billing", typeof(Program).Assembly);
builder.AddMessageBus(bus => bus.AddConsumer<TenantCreatedConsumer>());

builder.Services.AddSingleton<AccountStore>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<BillingAccountsService>();

app.Run();
