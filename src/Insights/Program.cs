using VoicePlatform.Insights.Aggregation;
using VoicePlatform.Insights.Consumers;
using VoicePlatform.Insights.Experiments;
using VoicePlatform.Insights.Grpc;
using VoicePlatform.Insights.Ingest;
using VoicePlatform.Insights.Queries;
using VoicePlatform.Insights.Retention;
using VoicePlatform.Insights.Sessions;
using VoicePlatform.ServiceDefaults;
using VoicePlatform.ServiceDefaults.Integrations.Messaging;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPostgresDatabase("postgres-insights", typeof(Program).Assembly);
builder.AddMessageBus(bus => bus.AddInsightsConsumers()); // quality events (Gateway), sessions and usage cost (Router, Billing), tool calls (Tools)

builder.Services.AddSingleton<BucketWriter>();
builder.Services.AddSingleton<SessionRows>();
builder.Services.AddSingleton<TurnIngest>();
builder.Services.AddSingleton<ConnectionIngest>();
builder.Services.AddSingleton<ToolCallIngest>();
builder.Services.AddSingleton<SessionEventIngest>();
builder.Services.AddSingleton<SummaryQuery>();       // hourly buckets merged: counts, rates, percentiles
builder.Services.AddSingleton<SessionQualityQuery>(); // one session's facts
builder.Services.AddSingleton<ExperimentSessionsQuery>();
builder.Services.AddExperimentResults(builder.Configuration); // each arm against the control (ExperimentStatistics), Insights:Experiments
builder.Services.AddInsightsRetention(builder.Configuration); // the tenant's retention (Transcripts' setting) + the periodic deletion job

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<InsightsQueryService>();

app.Run();
