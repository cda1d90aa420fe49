using VoicePlatform.ServiceDefaults;
using VoicePlatform.ServiceDefaults.Integrations.Messaging;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;
using VoicePlatform.Transcripts.Consumers;
using VoicePlatform.Transcripts.Grpc;
using VoicePlatform.Transcripts.Recordings;
using VoicePlatform.Transcripts.Retention;
using VoicePlatform.Transcripts.Search;
using VoicePlatform.Transcripts.Segments;
using VoicePlatform.Transcripts.Sessions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPostgresDatabase("postgres-transcripts", typeof(Program).Assembly);
builder.AddMessageBus(bus => bus.AddTranscriptConsumers()); // SessionStarted, TranscriptSegmentRecorded, SessionEnded, RecordingStored

builder.Services.AddSingleton<SessionStore>();
builder.Services.AddSingleton<SegmentStore>();
builder.Services.AddSingleton<DiscardedResponseStore>();
builder.Services.AddSingleton<ItemTimingStore>();
builder.Services.AddSingleton<TranscriptSearch>();
builder.Services.AddSingleton<RecordingMetadataStore>();
builder.Services.AddRetention(builder.Configuration); // per-tenant retention days + the periodic deletion job

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<TranscriptStoreService>();

app.Run();
