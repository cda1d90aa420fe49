using System.Diagnostics.Metrics;
using System.Runtime;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace VoicePlatform.Gateway.WarmUp;

/// <summary>
/// Runs a few rounds of synthetic sessions through the Gateway's per-session code (<see cref="WarmUpSession"/>) before
/// the Gateway reports ready. Why: a fresh process runs unoptimised (tier-0) code until each method has been called a
/// few dozen times and the runtime has recompiled it; the first clients of a new Gateway otherwise pay for that, and
/// measured, their connect → session.created took up to ~950 ms instead of ~17 ms. Nothing of a warm-up session
/// leaves the process: no Router, bus, database, Redis, recording store or session metric sees it. A warm-up that fails
/// or times out is logged and does not hold readiness back: it is an optimisation. Its own duration is a metric
/// (<c>voiceplatform.gateway.warmup.duration</c>, tagged <c>outcome</c>): how long each new Gateway kept itself unready.
/// </summary>
public sealed class GatewayWarmUp(IOptions<GatewayWarmUpOptions> options, TimeProvider time, ILogger<GatewayWarmUp> logger, IMeterFactory meters)
    : BackgroundService, IHealthCheck
{
    public const string MeterName = "VoicePlatform.Gateway.WarmUp";

    private readonly Histogram<double> _durationMetric = meters.Create(MeterName).CreateHistogram<double>(
        "voiceplatform.gateway.warmup.duration", unit: "ms", description: "How long a starting Gateway warmed its relay path up before reporting ready, by outcome");
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _done;

    /// <summary>All rounds' figures together, once done (<see cref="GatewayWarmUpResult.None"/> when disabled or failed early).</summary>
    public GatewayWarmUpResult Result { get; private set; } = GatewayWarmUpResult.None;

    /// <summary>How long the warm-up took (zero when disabled).</summary>
    public TimeSpan Duration { get; private set; }

    /// <summary>Completes when the warm-up has finished, given up, or was disabled.</summary>
    public Task Completed => _completed.Task;

    /// <summary>Raised after each round's sessions, as its pause begins (with the round's number): observers, tests.</summary>
    public event Action<int>? RoundFinished;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // let the host finish starting; the warm-up runs beside it
        var settings = options.Value;
        var started = time.GetTimestamp();
        var total = GatewayWarmUpResult.None;
        CancellationTokenSource? timeout = null, cancellation = null;
        try
        {
            if (!settings.Enabled) return;
            await Task.Delay(settings.StartDelay, time, stoppingToken);
            started = time.GetTimestamp();
            timeout = new CancellationTokenSource(settings.Timeout, time);
            cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
            var jitBefore = (Methods: JitInfo.GetCompiledMethodCount(), Time: JitInfo.GetCompilationTime());
            long compiledInRound = 0;
            for (var round = 1; round <= settings.Rounds; round++)
            {
                // Several rounds with pauses between: the runtime counts calls only once compilation has calmed down,
                // and compiles the optimised code in the background.
                var compiledBefore = JitInfo.GetCompiledMethodCount();
                var sessions = await RunRoundAsync(settings, cancellation.Token);
                total = sessions.Aggregate(total, (sum, session) => sum.Plus(session));
                Result = total;
                var pause = Task.Delay(settings.RoundPause, time, cancellation.Token); // before observers hear of the round
                RoundFinished?.Invoke(round);
                await pause;
                compiledInRound = JitInfo.GetCompiledMethodCount() - compiledBefore;
                logger.LogDebug("Gateway warm-up round {Round}: {Methods} methods compiled", round, compiledInRound);
            }
            Duration = time.GetElapsedTime(started);
            _durationMetric.Record(Duration.TotalMilliseconds, new KeyValuePair<string, object?>("outcome", "completed"));
            logger.LogInformation(
                "Gateway relay path warmed up in {Ms:0} ms ({Methods} methods compiled, {JitMs:0} ms of compilation; {LastRound} in the last round): {Result}",
                Duration.TotalMilliseconds, JitInfo.GetCompiledMethodCount() - jitBefore.Methods,
                (JitInfo.GetCompilationTime() - jitBefore.Time).TotalMilliseconds, compiledInRound, total);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Duration = time.GetElapsedTime(started);
            _durationMetric.Record(Duration.TotalMilliseconds, new KeyValuePair<string, object?>("outcome", "incomplete"));
            logger.LogWarning(e, "Gateway warm-up did not finish after {Ms:0} ms ({Result}); the first sessions on this Gateway will be slower",
                Duration.TotalMilliseconds, total);
        }
        finally
        {
            cancellation?.Dispose();
            timeout?.Dispose();
            _done = true;
            _completed.TrySetResult();
        }
    }

    /// <summary>One round's sessions at once; the first to fail cancels the others (they would wait for it) and is rethrown.</summary>
    private async Task<GatewayWarmUpResult[]> RunRoundAsync(GatewayWarmUpOptions settings, CancellationToken cancellationToken)
    {
        using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sessions = Enumerable.Range(0, settings.ConcurrentSessions).Select(RunSessionAsync).ToList();
        try
        {
            return await Task.WhenAll(sessions);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested
            && sessions.Select(s => s.Exception?.GetBaseException()).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } cause)
        {
            ExceptionDispatchInfo.Throw(cause);
            throw;
        }

        async Task<GatewayWarmUpResult> RunSessionAsync(int lane)
        {
            try
            {
                return await new WarmUpSession(lane, settings, time).RunAsync(round.Token);
            }
            catch
            {
                await round.CancelAsync();
                throw;
            }
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_done ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("warming up the relay path"));
}
