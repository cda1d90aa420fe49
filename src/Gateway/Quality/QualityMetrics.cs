using System.Diagnostics.Metrics;
using VoicePlatform.Contracts.Events.Quality;

namespace VoicePlatform.Gateway.Quality;

/// <summary>
/// Session quality for operators (meter <c>VoicePlatform.Gateway.Quality</c>), tagged by model, provider and route:
/// the same facts the quality events carry, as OpenTelemetry histograms and counters. Experiment arms are not tags
/// (unbounded cardinality belongs in Insights, not in a metrics backend).
/// </summary>
public sealed class QualityMetrics
{
    public const string MeterName = "VoicePlatform.Gateway.Quality";
    private readonly Histogram<double> _responseLatency;
    private readonly Histogram<double> _firstTextLatency;
    private readonly Histogram<double> _stall;
    private readonly Counter<long> _responses;
    private readonly Counter<long> _interruptions;
    private readonly Histogram<double> _toolLatency;
    private readonly Counter<long> _continuity;
    private readonly Histogram<double> _continuityDuration;
    private readonly Histogram<double> _sessionDuration;
    private readonly Counter<long> _dropped;

    public QualityMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _responseLatency = meter.CreateHistogram<double>("voiceplatform.response.latency", unit: "ms",
            description: "End of the user's turn to the first response audio written to the client (TTFA)");
        _firstTextLatency = meter.CreateHistogram<double>("voiceplatform.response.first_text.latency", unit: "ms",
            description: "End of the user's turn to the first transcript or text delta written to the client");
        _stall = meter.CreateHistogram<double>("voiceplatform.response.playback_stall", unit: "ms",
            description: "Per response, the longest time the client's playback ran dry between two audio chunks");
        _responses = meter.CreateCounter<long>("voiceplatform.responses", description: "Responses relayed, by final status");
        _interruptions = meter.CreateCounter<long>("voiceplatform.response.interruptions", description: "Barge-ins: user speech during assistant playback");
        _toolLatency = meter.CreateHistogram<double>("voiceplatform.tool.latency", unit: "ms",
            description: "Client-executed function calls: response.done to the client's function_call_output");
        _continuity = meter.CreateCounter<long>("voiceplatform.continuity.events", description: "Router failovers, connect fallbacks, client resumes, by kind");
        _continuityDuration = meter.CreateHistogram<double>("voiceplatform.continuity.duration", unit: "ms",
            description: "How long a continuity event took (e.g. from a Router stream breaking to audio flowing again)");
        _sessionDuration = meter.CreateHistogram<double>("voiceplatform.session.duration", unit: "s",
            description: "Client connection duration, by end reason");
        _dropped = meter.CreateCounter<long>("voiceplatform.quality.events.dropped",
            description: "Quality events dropped because the Gateway's queue to its outbox was full");
    }

    internal void TurnMeasured(QualityDimensions dimensions, TurnMeasured turn)
    {
        var tags = Tags(dimensions);
        if (turn.ResponseLatencyMs is { } latency) _responseLatency.Record(latency, tags);
        if (turn.FirstTextLatencyMs is { } text) _firstTextLatency.Record(text, tags);
        if (turn.AudioOutMs > 0) _stall.Record(turn.MaxStallMs, tags);
        if (turn.Interrupted) _interruptions.Add(1, tags);
        _responses.Add(1, [.. tags, new("status", turn.Status)]);
    }

    internal void ClientToolCall(QualityDimensions dimensions, long latencyMs) => _toolLatency.Record(latencyMs, [.. Tags(dimensions), new("executor", "client")]);

    internal void Continuity(QualityDimensions dimensions, string kind, long durationMs)
    {
        KeyValuePair<string, object?>[] tags = [.. Tags(dimensions), new("kind", kind)];
        _continuity.Add(1, tags);
        _continuityDuration.Record(durationMs, tags);
    }

    internal void SessionMeasured(QualityDimensions dimensions, long durationMs, string endReason) =>
        _sessionDuration.Record(durationMs / 1000.0, [.. Tags(dimensions), new("end_reason", endReason)]);

    internal void Dropped() => _dropped.Add(1);

    private static KeyValuePair<string, object?>[] Tags(QualityDimensions d) =>
        [new("model", d.Model), new("provider", d.Provider), new("route", d.Route ?? "")];
}
