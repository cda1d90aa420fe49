using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Gateway.WarmUp;

namespace VoicePlatform.Gateway.Tests.WarmUp;

public class GatewayWarmUpTests
{
    private const int Frames = 40;
    private const int Sessions = 4;
    private const int Rounds = 2;
    private static readonly TimeSpan RoundPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly CapturedLogs _logs = new();

    private ServiceProvider Services(bool enabled = true, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:WarmUp:Enabled"] = enabled ? "true" : "false",
            ["Gateway:WarmUp:ConcurrentSessions"] = Sessions.ToString(CultureInfo.InvariantCulture),
            ["Gateway:WarmUp:Frames"] = Frames.ToString(CultureInfo.InvariantCulture),
            ["Gateway:WarmUp:FramesPerBurst"] = "10",
            ["Gateway:WarmUp:BurstPause"] = "00:00:00",
            ["Gateway:WarmUp:Rounds"] = Rounds.ToString(CultureInfo.InvariantCulture),
            ["Gateway:WarmUp:RoundPause"] = RoundPause.ToString(),
        }).Build();
        var services = new ServiceCollection().AddLogging(logging => logging.AddProvider(_logs));
        if (time is not null) services.AddSingleton(time);
        return services.AddGatewayWarmUp(configuration).BuildServiceProvider();
    }

    private static async Task<HealthStatus> ReadinessAsync(ServiceProvider services) =>
        (await services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status;

    [Fact]
    public async Task Readiness_is_unhealthy_until_the_last_round_has_ended()
    {
        var time = new FakeTimeProvider();
        await using var services = Services(time: time);
        var warmUp = services.GetRequiredService<GatewayWarmUp>();
        using var durations = new DurationMeasurements(services);
        TaskCompletionSource[] finished = [new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously)];
        warmUp.RoundFinished += round => finished[round - 1].TrySetResult();

        await ((IHostedService)warmUp).StartAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Unhealthy, await ReadinessAsync(services));

        await finished[0].Task.WaitAsync(Patience);
        Assert.Equal(HealthStatus.Unhealthy, await ReadinessAsync(services)); // between rounds
        time.Advance(RoundPause);
        await finished[1].Task.WaitAsync(Patience);
        Assert.Equal(HealthStatus.Unhealthy, await ReadinessAsync(services)); // in the last round's pause
        Assert.False(warmUp.Completed.IsCompleted);

        time.Advance(RoundPause);
        await warmUp.Completed.WaitAsync(Patience);
        Assert.Equal(HealthStatus.Healthy, await ReadinessAsync(services));
        Assert.Equal(2 * RoundPause, warmUp.Duration); // on the injected clock: only the pauses took time
        Assert.Contains(_logs.Messages, m => m.StartsWith("Gateway relay path warmed up in 2000 ms", StringComparison.Ordinal));
        Assert.Equal([(2000.0, "completed")], durations.Recorded);
    }

    [Fact]
    public async Task Client_audio_and_model_audio_went_through_the_real_relay_code_both_ways()
    {
        await using var services = Services(time: TimeProvider.System);
        var warmUp = services.GetRequiredService<GatewayWarmUp>();

        await ((IHostedService)warmUp).StartAsync(CancellationToken.None);
        await warmUp.Completed.WaitAsync(Patience);

        var result = warmUp.Result;
        const int sessions = Rounds * Sessions;
        Assert.Equal(sessions, result.Sessions);
        // Per session: session.update, the appends, a commit and response.create, each translated and serialised once.
        Assert.Equal(sessions * (Frames + 3), result.MessagesTranslated);
        Assert.Equal(sessions * (Frames + 3), result.FramesSerialised);
        // The scripted Router answers every audio frame with 20 ms of model audio; the client read every delta.
        Assert.Equal(sessions * Frames, result.AudioDeltasSent);
        Assert.Equal(sessions * Frames, result.AudioDeltasReceived);
        // session.created, session.updated, input_audio_buffer.committed, response.created, .output_audio.done, .done.
        Assert.Equal(sessions * 6, result.EventsSent);
        Assert.Equal(sessions * 6, result.EventsReceived);
        // Half the sessions chose PCM16 24 kHz (960 bytes per delta), half G.711 μ-law (160, less the resampler's
        // start-up delay): the session.update's formats reached the output encoder.
        const int pcm = Rounds * (Sessions / 2) * Frames * 960;
        const int mulaw = Rounds * (Sessions / 2) * Frames * 160;
        Assert.InRange(result.AudioBytesReceived, pcm + mulaw - Rounds * (Sessions / 2) * 100, pcm + mulaw);
        // Every session was recorded (in memory), each a WAV longer than its header: the recorder lays audio out on the
        // session's timeline, so its length is the session's (milliseconds), not the audio's.
        Assert.Equal(sessions, result.SessionsRecorded);
        Assert.True(result.RecordedBytes > sessions * 44, $"{result.RecordedBytes} bytes recorded");
        Assert.Equal(HealthStatus.Healthy, await ReadinessAsync(services));
        Assert.DoesNotContain(_logs.Messages, m => m.Contains("did not finish", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disabled_it_is_ready_at_once_and_runs_nothing()
    {
        await using var services = Services(enabled: false, time: new FakeTimeProvider());
        var warmUp = services.GetRequiredService<GatewayWarmUp>();
        using var durations = new DurationMeasurements(services);

        await ((IHostedService)warmUp).StartAsync(CancellationToken.None);
        await warmUp.Completed.WaitAsync(Patience);

        Assert.Equal(GatewayWarmUpResult.None, warmUp.Result);
        Assert.Equal(TimeSpan.Zero, warmUp.Duration);
        Assert.Equal(HealthStatus.Healthy, await ReadinessAsync(services));
        Assert.Empty(durations.Recorded); // nothing warmed up: no duration to report
    }

    /// <summary>The warm-up duration metric of one service provider's meters (other tests' providers run beside it).</summary>
    private sealed class DurationMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(double Ms, string? Outcome)> _recorded = new();

        public DurationMeasurements(IServiceProvider services)
        {
            var scope = services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == scope && instrument.Name == "voiceplatform.gateway.warmup.duration") listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
            {
                string? outcome = null;
                foreach (var tag in tags) if (tag.Key == "outcome") outcome = tag.Value as string;
                _recorded.Enqueue((value, outcome));
            });
            _listener.Start();
        }

        public IReadOnlyCollection<(double Ms, string? Outcome)> Recorded => _recorded;

        public void Dispose() => _listener.Dispose();
    }

    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public ILogger CreateLogger(string categoryName) => new Capture(_messages);

        public void Dispose()
        {
        }

        private sealed class Capture(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
        }
    }
}
