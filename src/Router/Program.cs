using VoicePlatform.Router.Grpc;
using VoicePlatform.Router.Instances;
using VoicePlatform.ServiceDefaults;
using VoicePlatform.ServiceDefaults.Integrations.Messaging;
using VoicePlatform.ServiceDefaults.Integrations.Redis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRedis();
builder.AddMessageBus();

builder.Services.AddRouterInstance();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<RealtimeRouterService>();

app.Run();
