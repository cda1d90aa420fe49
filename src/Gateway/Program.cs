using VoicePlatform.Gateway.Admin;
using VoicePlatform.Gateway.ApiDocs;
using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.Billing;
using VoicePlatform.Gateway.ClientSecrets;
using VoicePlatform.Gateway.Grpc;
using VoicePlatform.Gateway.HttpJson;
using VoicePlatform.Gateway.Insights;
using VoicePlatform.Gateway.Models;
using VoicePlatform.Gateway.Outbox;
using VoicePlatform.Gateway.PlatformStatus;
using VoicePlatform.Gateway.Quality;
using VoicePlatform.Gateway.Realtime;
using VoicePlatform.Gateway.Recordings;
using VoicePlatform.Gateway.RouterSessions;
using VoicePlatform.Gateway.Routing;
using VoicePlatform.Gateway.SessionLimits;
using VoicePlatform.Gateway.Tenants;
using VoicePlatform.Gateway.Tools;
using VoicePlatform.Gateway.Transcripts;
using VoicePlatform.Gateway.WarmUp;
using VoicePlatform.ModelCatalog;
using VoicePlatform.ServiceDefaults;
using VoicePlatform.ServiceDefaults.Integrations.Messaging;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;
using VoicePlatform.ServiceDefaults.Integrations.Redis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPostgresDatabase("postgres-gateway", typeof(Program).Assembly);
builder.AddRedis();
builder.AddMessageBus();
builder.Services.AddProblemDetails();
builder.Services.AddClientJson(); // REST JSON escaped only where JSON requires (no \u002B for '+')

builder.Services.AddTenants();
builder.Services.AddApiKeys(builder.Configuration);
builder.Services.AddOperatorApi(builder.Configuration);
builder.AddModelCatalog();
builder.Services.AddOutbox();
builder.Services.AddDownstreamServices();
builder.Services.AddRouterSessionStreams();   // sessions to the Routers: gRPC or WebSocket (Gateway:Realtime:RouterTransport)
builder.Services.AddRealtimeFrontEnd(builder.Configuration);
builder.Services.AddSessionQuality(); // per-turn quality on the client's timeline: events (outbox) and metrics
builder.Services.AddSessionLimits(builder.Configuration); // budgets (Billing), concurrency slots and start rates (Redis)
builder.Services.AddClientSecrets();
builder.Services.AddToolsApi();
builder.Services.AddRoutingApi();
builder.Services.AddBillingApi();
builder.Services.AddTranscriptsApi();
builder.Services.AddInsightsApi();
builder.Services.AddRecordings(builder.Configuration); // call recordings: Gateway:Recordings (Directory or S3), tenant switch, start-up sweep
builder.Services.AddPublicApiDocument();
builder.Services.AddGatewayWarmUp(builder.Configuration); // Gateway:WarmUp: synthetic sessions through the relay code before ready

var app = builder.Build();

app.UseWebSockets();

app.MapDefaultEndpoints();
app.MapOperatorApi();      // /v1/admin/...: tenants and keys, operator key
app.MapModelEndpoints();   // /v1/models: tenant API key
app.MapRealtimeEndpoint(); // /v1/realtime: OpenAI Realtime GA over WebSocket, tenant API key or ephemeral key
app.MapClientSecrets();    // /v1/realtime/client_secrets: ephemeral keys for browsers, with optional caps, tenant API key
app.MapSessionLimits();    // /v1/admin/tenants/{id}/limits, /v1/admin/keys/{id}/limits: session limits and budgets, operator key
app.MapTenantKeys();       // /v1/keys: the tenant's own API keys (list, issue, revoke), tenant API key
app.MapTenantLimits();     // /v1/limits, /v1/billing/budget: the tenant's caps, live sessions and monthly budget, tenant API key
app.MapPlatformStatus();   // /v1/admin/platform: downstream gRPC reachability, operator key
app.MapToolsApi();         // /v1/tools: tenant tools and tool settings (Tools service over gRPC), tenant API key
app.MapToolTestCall();     // /v1/tools/{name}/test: run a tool as a session would, tenant API key
app.MapRoutingApi();       // /v1/routes, /v1/experiments: routes and A/B experiments (Router over gRPC), tenant API key
app.MapBillingApi();       // /v1/usage, /v1/sessions/{id}/cost, /v1/billing/statements: the ledger (Billing over gRPC), tenant API key
app.MapTranscriptsApi();   // /v1/sessions, /v1/transcripts: sessions, transcripts, search, retention (Transcripts service), tenant API key
app.MapInsightsApi();      // /v1/insights/summary, /v1/insights/timeseries, /v1/sessions/{id}/quality: session quality (Insights service), tenant API key
app.MapRecordingsApi();    // /v1/recordings/settings, /v1/sessions/{id}/recording: recording switch and WAV download, tenant API key
app.MapOpenApi();          // /openapi/v1.json: the tenant REST API
app.MapApiReferencePage(); // /docs: the API reference rendered by Scalar (bundle served locally)
app.MapGrpcService<TenantDirectoryService>();

app.Run();

/// <summary>Entry point type, public so tests can name the assembly.</summary>
public partial class Program;
