using VoicePlatform.ServiceDefaults;
using VoicePlatform.ServiceDefaults.Integrations.Messaging;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;
using VoicePlatform.Transcripts.Grpc;
using VoicePlatform.Transcripts.Sessions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPostgresDatabase("postgres-transcripts", typeof(Program).Assembly);
builder.AddMessageBus();

builder.Services.AddSingleton<SessionStore>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<TranscriptStoreService>();

app.Run();
