using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.WarmUp;

/// <summary>
/// Runs a few short sessions of every provider through the real relay code — connector, provider session, audio
/// transcoding and VAD, the provider's JSON and base64, the gRPC frame serialisation — against each provider's
/// scripted loopback peer (<see cref="IProviderWarmUp"/>), before the Router reports ready.
/// Why: a Router that has just started and is handed dozens of sessions at once (every session of a crashed Router)
/// otherwise compiles and then re-optimises all of that code while those sessions wait; profiled, that was about 40 %
/// of its CPU in the seconds after a failover. Nothing of a warm-up session leaves the process: no provider is
/// contacted, nothing is checkpointed, recorded, metered or counted as a session. A warm-up that fails or times out
/// is logged and does not hold readiness back: it is an optimisation.
/// </summary>
public sealed class RelayWarmUp(
    IEnumerable<IProviderWarmUp> providers, IOptions<RelayWarmUpOptions> options, ILogger<RelayWarmUp> logger)
    : BackgroundService, IHealthCheck
{
    private const int SampleRate = 24_000;
    private static readonly TimeSpan RepliesQuiet = TimeSpan.FromMilliseconds(100);

    // What a checkpoint of a short conversation holds: the effective session and a user and an assistant message.
    private static readonly JsonDocument SyntheticSession = JsonDocument.Parse(
        """{"type":"realtime","instructions":"Warm-up.","output_modalities":["audio"],"audio":{"input":{"format":{"type":"audio/pcm","rate":24000},"turn_detection":{"type":"server_vad"}},"output":{"format":{"type":"audio/pcm","rate":24000}}}}""");

    private static readonly JsonElement[] SyntheticHistory =
    [
        JsonDocument.Parse("""{"id":"item_warmup_user","type":"message","status":"completed","role":"user","content":[{"type":"input_text","text":"Hello."}]}""").RootElement,
        JsonDocument.Parse("""{"id":"item_warmup_assistant","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello, how can I help?"}]}""").RootElement,
    ];

    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _done;

    /// <summary>Per provider, once done.</summary>
    public IReadOnlyList<ProviderWarmUpResult> Results { get; private set; } = [];

    /// <summary>Completes when the warm-up has finished, given up, or was disabled.</summary>
    public Task Completed => _completed.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // let the host finish starting; the warm-up runs beside it
        var settings = options.Value;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var all = providers.ToList();
            if (!settings.Enabled || all.Count == 0) return;
            await Task.Delay(settings.StartDelay, stoppingToken);
            started = Stopwatch.GetTimestamp();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(settings.Timeout);
            await using var server = await WarmUpProviderServer.StartAsync(all, timeout.Token);
            var results = new Dictionary<string, ProviderWarmUpResult>(StringComparer.Ordinal);
            var jitBefore = (Methods: JitInfo.GetCompiledMethodCount(), Time: JitInfo.GetCompilationTime());
            long compiledInRound = 0;
            for (var round = 1; round <= settings.Rounds; round++)
            {
                // Several rounds with pauses between: the runtime optimises a method only once it has been called a
                // number of times after compilation calmed down, and compiles the optimised code in the background.
                var compiledBefore = JitInfo.GetCompiledMethodCount();
                var healthy = all.Where(p => results.GetValueOrDefault(p.Provider)?.Error is null);
                var outcomes = await Task.WhenAll(healthy.Select(p => WarmUpAsync(p, server.BaseUrlFor(p), settings, timeout.Token)));
                foreach (var result in outcomes)
                {
                    results[result.Provider] = results.TryGetValue(result.Provider, out var earlier) ? earlier.Plus(result) : result;
                }
                await Task.Delay(settings.RoundPause, timeout.Token);
                compiledInRound = JitInfo.GetCompiledMethodCount() - compiledBefore;
                logger.LogDebug("Relay warm-up round {Round}: {Methods} methods compiled", round, compiledInRound);
            }

            Results = [.. results.Values];
            logger.LogInformation(
                "Relay path warmed up in {Ms:0} ms ({Methods} methods compiled, {JitMs:0} ms of compilation; {LastRound} in the last round): {Results}",
                Stopwatch.GetElapsedTime(started).TotalMilliseconds, JitInfo.GetCompiledMethodCount() - jitBefore.Methods,
                (JitInfo.GetCompilationTime() - jitBefore.Time).TotalMilliseconds, compiledInRound,
                string.Join("; ", Results.Select(r => r.Error is null
                    ? $"{r.Provider}: {r.Sessions} sessions, {r.FramesSent} frames in, {r.AudioFramesReceived} audio frames out"
                    : $"{r.Provider}: failed ({r.Error})")));
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Relay warm-up did not finish; the first sessions on this Router will be slower");
        }
        finally
        {
            _done = true;
            _completed.TrySetResult();
        }
    }

    private async Task<ProviderWarmUpResult> WarmUpAsync(IProviderWarmUp provider, Uri baseUrl, RelayWarmUpOptions settings, CancellationToken cancellationToken)
    {
        var lanes = Enumerable.Range(0, settings.ConcurrentSessions)
            .Select(lane => RunLaneAsync(provider, baseUrl, lane, settings, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(lanes);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new ProviderWarmUpResult(provider.Provider, 0, 0, 0, 0, e.GetBaseException().Message);
        }
        var runs = lanes.SelectMany(l => l.Result).ToList();
        return new ProviderWarmUpResult(provider.Provider, runs.Count, runs.Sum(r => r.Frames), runs.Sum(r => r.Audio), runs.Sum(r => r.Events), null);
    }

    /// <summary>
    /// A new session, then a second one resumed from the first one's provider state and a short history: a Router
    /// that takes over sessions runs the resume path, not only the relay.
    /// </summary>
    private static async Task<(int Frames, int Audio, int Events)[]> RunLaneAsync(
        IProviderWarmUp provider, Uri baseUrl, int lane, RelayWarmUpOptions settings, CancellationToken cancellationToken)
    {
        var checkpoints = new RecordingCheckpoints();
        var created = await RunSessionAsync(provider, baseUrl, $"warmup_{provider.Provider}_{lane}", checkpoints, null, settings, cancellationToken);
        var resume = new SessionResumeState(SyntheticSession.RootElement, SyntheticHistory, checkpoints.ProviderState);
        var resumed = await RunSessionAsync(provider, baseUrl, $"warmup_{provider.Provider}_{lane}", new RecordingCheckpoints(), resume, settings, cancellationToken);
        return [created, resumed];
    }

    private static async Task<(int Frames, int Audio, int Events)> RunSessionAsync(IProviderWarmUp provider, Uri baseUrl, string sessionId,
        ISessionCheckpoints checkpoints, SessionResumeState? resume, RelayWarmUpOptions settings, CancellationToken cancellationToken)
    {
        var model = new CatalogModel { Id = "warm-up", Provider = provider.Provider, UpstreamModel = "warm-up" };
        var context = new ProviderSessionContext(sessionId, "warm-up", model.Id, model) { Checkpoints = checkpoints, Resume = resume };
        var gateway = new DiscardingFrameWriter();
        var sink = new GrpcSessionSink(gateway, cancellationToken);
        var frame = ScriptedPeerSocket.QuietTone(SampleRate);
        var sent = 0;
        try
        {
            var session = await provider.ConnectAsync(baseUrl, context, sink, cancellationToken);
            await using (session)
            {
                for (; sent < settings.Frames; sent++)
                {
                    await session.SendAudioAsync((ulong)sent + 1, frame, SampleRate, null, cancellationToken);
                    if (sent % settings.FramesPerBurst == settings.FramesPerBurst - 1) await Task.Delay(settings.BurstPause, cancellationToken);
                }
                await gateway.WaitForQuietAsync(RepliesQuiet, cancellationToken);
            }
        }
        finally
        {
            await sink.FlushAndCompleteAsync();
        }
        return (sent, gateway.AudioFrames, gateway.Events);
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_done ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("warming up the relay path"));
}
