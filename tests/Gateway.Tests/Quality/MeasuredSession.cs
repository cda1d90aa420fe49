using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Gateway.Quality;

namespace VoicePlatform.Gateway.Tests.Quality;

/// <summary>A <see cref="SessionQualityMeter"/> on a fake clock, fed like the session feeds it, with what it published.</summary>
internal sealed class MeasuredSession : IQualityEventSink
{
    private static readonly QualityDimensions Dimensions = new("gpt-realtime", "openai", null, null, null);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));

    public MeasuredSession()
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        Meter = new SessionQualityMeter(Guid.NewGuid(), "sess_test", Dimensions, _clock, _clock.GetTimestamp(), this, new QualityMetrics(meters));
    }

    public SessionQualityMeter Meter { get; }

    public List<object> Published { get; } = [];

    public IEnumerable<TurnMeasured> Turns => Published.OfType<TurnMeasured>();

    public void Publish(object qualityEvent) => Published.Add(qualityEvent);

    /// <summary>Moves the session timeline to <paramref name="ms"/> milliseconds since the socket opened.</summary>
    public MeasuredSession At(double ms)
    {
        var target = TimeSpan.FromMilliseconds(ms);
        var now = Meter.Now;
        if (target.TotalMilliseconds > now) _clock.Advance(target - TimeSpan.FromMilliseconds(now));
        return this;
    }

    public MeasuredSession Server(string json)
    {
        Meter.ServerEvent(TypeOf(json), Encoding.UTF8.GetBytes(json));
        return this;
    }

    public MeasuredSession Client(string json)
    {
        Meter.ClientEvent(TypeOf(json), Encoding.UTF8.GetBytes(json));
        return this;
    }

    /// <summary>The client forwards <paramref name="ms"/> milliseconds of 24 kHz audio.</summary>
    public MeasuredSession ClientAudio(int ms)
    {
        Meter.ClientAudio(ms * 48, 24_000, TimeSpan.FromMilliseconds(Meter.Now));
        return this;
    }

    /// <summary>Sends <paramref name="ms"/> milliseconds of 24 kHz assistant audio.</summary>
    public MeasuredSession Audio(string responseId, string itemId, int ms)
    {
        Meter.OutputAudio(responseId, itemId, ms * 48, 24_000, TimeSpan.FromMilliseconds(Meter.Now));
        return this;
    }

    public MeasuredSession Created(string responseId) => Server($$$"""{"type":"response.created","response":{"id":"{{{responseId}}}","status":"in_progress"}}""");

    public MeasuredSession Done(string responseId, string status = "completed", string output = "[]") =>
        Server($$$"""{"type":"response.done","response":{"id":"{{{responseId}}}","status":"{{{status}}}","output":{{{output}}}}}""");

    private static string? TypeOf(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("type").GetString();
}
