using VoicePlatform.Router.Checkpoints;
using VoicePlatform.Router.Events;
using VoicePlatform.Router.Grpc;
using VoicePlatform.Router.Instances;
using VoicePlatform.Router.Providers.Gemini;
using VoicePlatform.Router.Providers.OpenAI;
using VoicePlatform.Router.Routing;
using VoicePlatform.Router.Routing.Grpc;
using VoicePlatform.Router.SessionSockets;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.Tools;
using VoicePlatform.Router.WarmUp;
using VoicePlatform.ServiceDefaults;
using VoicePlatform.ServiceDefaults.Integrations.Messaging;
using VoicePlatform.ServiceDefaults.Integrations.Redis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRedis();
builder.AddMessageBus();

builder.Services.AddRouterInstance();
builder.AddRealtimeSessions();                                   // session relay + model catalog
builder.AddRouting();                                            // routes and experiments in the Router's database
builder.Services.AddSessionContinuity(builder.Configuration);     // session state in Redis: checkpoints, leases
builder.Services.AddOpenAIProvider(builder.Configuration);       // Providers:OpenAI
builder.Services.AddGeminiProvider(builder.Configuration);       // Providers:Gemini
builder.Services.AddServerTools(builder.Configuration);          // server-side tools in the turn loop (Tools service over gRPC)
builder.Services.AddSessionEvents(builder.Configuration);        // session events to the bus through a Redis spool
builder.Services.AddRelayWarmUp(builder.Configuration);          // WarmUp: providers' scripted sessions before ready

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<RealtimeRouterService>();
app.MapSessionSocket();                                          // RunSession over a WebSocket (SessionSockets)
app.MapGrpcService<RoutingService>();

app.Run();
