using System.Net.WebSockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VoicePlatform.Router.Providers.Gemini;
using VoicePlatform.Router.Providers.OpenAI;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.WarmUp;

namespace VoicePlatform.Router.Tests.WarmUp;

public class RelayWarmUpTests
{
    private const int Frames = 60;

    private readonly RecordingLoggerProvider _logs = new();

    private ServiceProvider Services(Dictionary<string, string?> settings, Action<IServiceCollection>? extra = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug))
            .AddOpenAIProvider(configuration)
            .AddGeminiProvider(configuration)
            .AddRelayWarmUp(configuration);
        extra?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, string?> Settings(bool enabled = true) => new()
    {
        ["WarmUp:Enabled"] = enabled ? "true" : "false",
        ["WarmUp:Frames"] = Frames.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["WarmUp:ConcurrentSessions"] = "2",
        ["WarmUp:StartDelay"] = "00:00:00",
        ["WarmUp:Rounds"] = "2",
    };

    private static async Task<RelayWarmUp> RunAsync(ServiceProvider services)
    {
        var warmUp = services.GetRequiredService<RelayWarmUp>();
        await ((IHostedService)warmUp).StartAsync(CancellationToken.None);
        await warmUp.Completed.WaitAsync(TimeSpan.FromSeconds(30));
        return warmUp;
    }

    private static async Task<HealthStatus> HealthAsync(RelayWarmUp warmUp) =>
        (await warmUp.CheckHealthAsync(new HealthCheckContext())).Status;

    [Fact]
    public async Task Every_provider_runs_audio_both_ways_through_its_real_session_code()
    {
        await using var services = Services(Settings());
        var warmUp = await RunAsync(services);

        Assert.Equal(["google", "openai"], warmUp.Results.Select(r => r.Provider).Order());
        foreach (var result in warmUp.Results)
        {
            Assert.Null(result.Error);
            Assert.Equal(2 * 4, result.Sessions); // per round: two at once, each followed by one resumed from it
            Assert.Equal(2 * 4 * Frames, result.FramesSent);
            // The scripts answer every audio message with 20 ms of model audio: it must have come all the way back out
            // of the provider session, through the gRPC frame serialisation.
            Assert.True(result.AudioFramesReceived >= Frames, $"{result.Provider}: {result.AudioFramesReceived} audio frames out");
            Assert.True(result.EventsReceived > 0, $"{result.Provider}: no events");
        }
        // The second session of each pair went through the provider's resume path, as a re-attach does.
        Assert.Equal(2 * 2, _logs.Messages.Count(m => m.Contains("OpenAI session resumed", StringComparison.Ordinal) && m.Contains("2 items restored", StringComparison.Ordinal)));
        Assert.Equal(2 * 2, _logs.Messages.Count(m => m.Contains("resumed with the checkpointed handle", StringComparison.Ordinal)));
        Assert.Equal(HealthStatus.Healthy, await HealthAsync(warmUp));
    }

    [Fact]
    public async Task Disabled_it_is_ready_at_once_and_runs_nothing()
    {
        await using var services = Services(Settings(enabled: false));
        var warmUp = await RunAsync(services);

        Assert.Empty(warmUp.Results);
        Assert.Equal(HealthStatus.Healthy, await HealthAsync(warmUp));
    }

    [Fact]
    public async Task A_provider_whose_warm_up_fails_is_reported_and_does_not_hold_readiness_back()
    {
        await using var services = Services(Settings(), s => s.AddSingleton<IProviderWarmUp, RefusingWarmUp>());
        var warmUp = await RunAsync(services);

        var refused = Assert.Single(warmUp.Results, r => r.Provider == RefusingWarmUp.Name);
        Assert.False(refused.Succeeded);
        Assert.Contains("refused on purpose", refused.Error);
        Assert.All(warmUp.Results.Where(r => r.Provider != RefusingWarmUp.Name), r => Assert.True(r.Succeeded, r.Provider));
        Assert.Equal(HealthStatus.Healthy, await HealthAsync(warmUp));
    }

    /// <summary>A provider plug-in whose connector refuses, as a misconfigured one would.</summary>
    private sealed class RefusingWarmUp : IProviderWarmUp
    {
        public const string Name = "refusing";

        public string Provider => Name;

        public Task ServeAsync(WebSocket socket, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IProviderSession> ConnectAsync(Uri baseUrl, ProviderSessionContext context, ISessionEventSink sink, CancellationToken cancellationToken) =>
            throw new ProviderConnectException("provider_unavailable", "refused on purpose");
    }

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public ILogger CreateLogger(string categoryName) => new Recorder(_messages);

        public void Dispose()
        {
        }

        private sealed class Recorder(System.Collections.Concurrent.ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception));
        }
    }
}
