using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace VoicePlatform.ServiceDefaults.Telemetry;

internal static class TelemetryExtensions
{
    /// <summary>Meters and activity sources of our own code all start with this prefix.</summary>
    public const string PlatformPrefix = "VoicePlatform";

    /// <summary>
    /// Series kept per metric stream (tag combinations beyond it go to one <c>otel.metric.overflow</c> series).
    /// OpenTelemetry's default, 2,000, preallocates ~176 KB per stream and reader: ~35 MB in the Gateway (200 streams: ~100
    /// instruments, two readers). No metric of ours is tagged by tenant or session; model × provider × route stays
    /// well inside 500.
    /// </summary>
    public const int DefaultMetricCardinalityLimit = 500;

    public static void ConfigurePlatformTelemetry(this IHostApplicationBuilder builder)
    {
        var cardinalityLimit = builder.Configuration.GetValue("Telemetry:MetricCardinalityLimit", DefaultMetricCardinalityLimit);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(PlatformPrefix + ".*", "MassTransit", "Npgsql", "Grpc.Net.Client", "Microsoft.AspNetCore.Server.Kestrel")
                .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = cardinalityLimit })
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, PlatformPrefix + ".*", "MassTransit", "Npgsql")
                .AddAspNetCoreInstrumentation(o =>
                    // Health probes and scrapes would drown the traces that matter.
                    o.Filter = ctx => !IsProbe(ctx.Request.Path))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation());

        // OTLP only when an endpoint is configured, as in the Aspire template.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
    }

    private static bool IsProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive") || path.StartsWithSegments("/metrics");
}
