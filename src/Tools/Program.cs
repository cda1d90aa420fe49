using VoicePlatform.ServiceDefaults;
using VoicePlatform.ServiceDefaults.Integrations.Messaging;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;
using VoicePlatform.Tools.Grpc;
using VoicePlatform.Tools.Registry;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPostgresDatabase("postgres-tools", typeof(Program).Assembly);
builder.AddMessageBus();

builder.Services.AddSingleton<ToolStore>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<ToolRegistryService>();

app.Run();
