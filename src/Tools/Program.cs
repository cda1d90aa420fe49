using VoicePlatform.ServiceDefaults;
using VoicePlatform.ServiceDefaults.Integrations.Messaging;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;
using VoicePlatform.Tools.BuiltIns;
using VoicePlatform.Tools.Execution;
using VoicePlatform.Tools.Grpc;
using VoicePlatform.Tools.Registry;
using VoicePlatform.Tools.Webhooks;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPostgresDatabase("postgres-tools", typeof(Program).Assembly);
builder.AddMessageBus();

builder.Services.AddToolRegistry(builder.Configuration);     // Registry/: tenants' tools and tool settings, limits
builder.Services.AddBuiltInTools();                          // BuiltIns/: get_current_time, end_session
builder.Services.AddWebhooks(builder.Configuration);          // Webhooks/: SSRF policy, signing, circuit breakers
builder.Services.AddToolExecution();                         // Execution/: run a call, ToolInvoked events
builder.Services.AddGrpc().AddServiceOptions<ToolRegistryService>(o => o.Interceptors.Add<RegistryErrorInterceptor>());

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<ToolRegistryService>();   // CRUD + settings, called by the Gateway's /v1/tools
app.MapGrpcService<ToolExecutionService>();  // ExecuteTool, called by the Router

app.Run();
