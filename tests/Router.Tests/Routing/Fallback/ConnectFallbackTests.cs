using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Router.Routing.Fallback;
using VoicePlatform.Router.Routing.Resolution;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Routing.Fallback;

public class ConnectFallbackTests
{
    private static readonly ResolvedTarget Gpt = Target("gpt-realtime-2");
    private static readonly ResolvedTarget Gemini = Target("gemini-3.1-flash-live");

    private readonly FakeTimeProvider _time = new();
    private readonly ConnectFallbackOptions _options = new() { CircuitBreaker = { MinimumThroughput = 2, FailureRatio = 0.5, BreakDuration = TimeSpan.FromSeconds(30) } };
    private readonly List<string> _tried = [];

    private ConnectFallback Fallback() => new(new ProviderCircuits(Options.Create(_options), _time), Options.Create(_options), _time,
        new RoutingMetrics(new DummyMeterFactory()), NullLogger<ConnectFallback>.Instance);

    private static ResolvedTarget Target(string id)
    {
        Assert.True(TestModelCatalog.Models.TryResolve(id, out var model));
        return new ResolvedTarget(model, null);
    }

    private Func<ResolvedTarget, CancellationToken, Task<IProviderSession>> Connect(Func<ResolvedTarget, CancellationToken, Task<IProviderSession>> behaviour) =>
        (step, token) =>
        {
            _tried.Add(step.Model.Id);
            return behaviour(step, token);
        };

    private static Task<IProviderSession> Refuse(string code) => Task.FromException<IProviderSession>(new ProviderConnectException(code, $"refused: {code}"));

    private static Task<IProviderSession> Open() => Task.FromResult<IProviderSession>(new OpenSession());

    [Fact]
    public async Task A_refused_first_step_falls_back_to_the_next_and_says_so()
    {
        var connection = await Fallback().ConnectAsync([Gpt, Gemini], Connect((step, _) => step == Gpt ? Refuse("provider_unavailable") : Open()), CancellationToken.None);

        Assert.Same(Gemini, connection.Target);
        Assert.Equal([new ConnectAttempt("gpt-realtime-2", "openai", "provider_unavailable")], connection.PassedOver);
        Assert.Equal(["gpt-realtime-2", "gemini-3.1-flash-live"], _tried);
    }

    [Theory]
    [InlineData("rate_limit_exceeded")]
    [InlineData("insufficient_quota")]
    [InlineData("server_error")]
    [InlineData("invalid_api_key")] // the platform's key for that provider, not the client's doing
    public async Task Provider_side_errors_fall_back(string code)
    {
        var connection = await Fallback().ConnectAsync([Gpt, Gemini], Connect((step, _) => step == Gpt ? Refuse(code) : Open()), CancellationToken.None);
        Assert.Same(Gemini, connection.Target);
    }

    [Fact]
    public async Task An_error_the_session_caused_does_not_fall_back()
    {
        var e = await Assert.ThrowsAsync<ProviderConnectException>(() =>
            Fallback().ConnectAsync([Gpt, Gemini], Connect((_, _) => Refuse("invalid_value")), CancellationToken.None));
        Assert.Equal("invalid_value", e.Code);
        Assert.Equal(["gpt-realtime-2"], _tried);
    }

    [Fact]
    public async Task A_step_that_does_not_open_in_time_is_passed_over()
    {
        var firstStepWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = Fallback().ConnectAsync([Gpt, Gemini], Connect(async (step, token) =>
        {
            if (step == Gemini) return new OpenSession();
            var never = new TaskCompletionSource<IProviderSession>();
            await using var cancelled = token.Register(() => never.TrySetCanceled(token));
            firstStepWaiting.SetResult(); // its timeout is armed: the step's token exists
            return await never.Task;
        }), CancellationToken.None);
        await firstStepWaiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(_options.ConnectTimeout);

        var connection = await pending;
        Assert.Same(Gemini, connection.Target);
        Assert.Equal(ConnectFallback.ProviderTimeout, Assert.Single(connection.PassedOver).Code);
    }

    [Fact]
    public async Task No_step_is_started_once_the_setup_budget_is_spent()
    {
        var third = Target("mute-model");
        var pending = Fallback().ConnectAsync([Gpt, Gemini, third], Connect(async (step, token) =>
        {
            if (step == Gpt)
            {
                _time.Advance(_options.SetupBudget); // the first step alone takes the whole budget, then fails
                throw new ProviderConnectException("provider_unavailable", "slow refusal");
            }
            return new OpenSession();
        }), CancellationToken.None);

        var e = await Assert.ThrowsAsync<ProviderConnectException>(() => pending);
        Assert.Equal(["gpt-realtime-2"], _tried);
        Assert.Contains("gpt-realtime-2 (provider_unavailable)", e.Message);
    }

    [Fact]
    public async Task When_every_step_fails_the_last_error_is_reported_with_every_step_tried()
    {
        var e = await Assert.ThrowsAsync<ProviderConnectException>(() =>
            Fallback().ConnectAsync([Gpt, Gemini], Connect((step, _) => Refuse(step == Gpt ? "server_error" : "rate_limit_exceeded")), CancellationToken.None));
        Assert.Equal("rate_limit_exceeded", e.Code);
        Assert.Contains("gpt-realtime-2 (server_error)", e.Message);
        Assert.Contains("gemini-3.1-flash-live (rate_limit_exceeded)", e.Message);
    }

    [Fact]
    public async Task A_provider_failing_for_every_session_is_skipped_untried_until_its_break_ends()
    {
        var fallback = Fallback();
        var openAIDown = Connect((step, _) => step == Gpt ? Refuse("provider_unavailable") : Open());
        for (var i = 0; i < 2; i++) await fallback.ConnectAsync([Gpt, Gemini], openAIDown, CancellationToken.None);
        _tried.Clear();

        var skipped = await fallback.ConnectAsync([Gpt, Gemini], openAIDown, CancellationToken.None);
        Assert.Equal(["gemini-3.1-flash-live"], _tried); // OpenAI was not even tried
        Assert.Equal(ConnectFallback.CircuitOpen, Assert.Single(skipped.PassedOver).Code);

        _time.Advance(_options.CircuitBreaker.BreakDuration);
        _tried.Clear();
        var probed = await fallback.ConnectAsync([Gpt, Gemini], Connect((_, _) => Open()), CancellationToken.None);
        Assert.Same(Gpt, probed.Target); // the probe went through and OpenAI is back
        Assert.Equal(["gpt-realtime-2"], _tried);
    }

    [Fact]
    public async Task A_single_step_is_tried_even_while_its_provider_circuit_is_open()
    {
        var fallback = Fallback();
        var openAIDown = Connect((step, _) => step == Gpt ? Refuse("provider_unavailable") : Open());
        for (var i = 0; i < 2; i++) await fallback.ConnectAsync([Gpt, Gemini], openAIDown, CancellationToken.None);
        _tried.Clear();

        var connection = await fallback.ConnectAsync([Gpt], Connect((_, _) => Open()), CancellationToken.None);
        Assert.Same(Gpt, connection.Target);
        Assert.Equal(["gpt-realtime-2"], _tried);
    }

    private sealed class OpenSession : IProviderSession
    {
        public Task Completion { get; } = new TaskCompletionSource().Task;

        public ValueTask SendAudioAsync(ulong inputSeq, ReadOnlyMemory<byte> pcm16, int sampleRate, string? eventId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask SendEventAsync(ulong inputSeq, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class DummyMeterFactory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
