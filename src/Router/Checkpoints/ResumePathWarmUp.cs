using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;
using VoicePlatform.Router.Instances;

namespace VoicePlatform.Router.Checkpoints;

/// <summary>
/// Runs the state half of a re-attach (take the lease, write a checkpoint, renew, load it back, turn it into resume
/// state, release) on a throw-away session at start, and deletes it again. A Router that has just started — the one a
/// crashed Router's sessions land on after AppHost or Kubernetes restarted it — otherwise JIT-compiles that path, the
/// Redis scripts and the snapshot parsing while dozens of sessions arrive at once, and each of them waits for it.
/// Not ready until done, so an orchestrator that gates traffic on readiness sends no session before. Redis trouble
/// does not hold readiness back: the warm-up is an optimisation.
/// </summary>
public sealed class ResumePathWarmUp(SessionStateStore store, RouterInstance instance, ILogger<ResumePathWarmUp> logger)
    : BackgroundService, IHealthCheck
{
    private const int Rounds = 3; // the first compiles; later rounds reach the optimised tier sooner

    private static readonly string SyntheticConfig =
        """{"type":"realtime","model":"warm-up","instructions":"","audio":{"input":{"format":{"type":"audio/pcm","rate":24000},"turn_detection":{"type":"server_vad"}},"output":{"format":{"type":"audio/pcm","rate":24000},"voice":"alloy"}}}""";

    private static readonly string SyntheticItem =
        """{"id":"item_warmup","type":"message","status":"completed","role":"user","content":[{"type":"input_text","text":"warm-up"}]}""";

    private volatile bool _done;

    /// <summary>The throw-away session's id: this instance's own, so parallel Routers never touch each other's.</summary>
    public string SessionId => $"warmup_{instance.Id}";

    /// <summary>Whether every round ran against Redis (false when it gave up).</summary>
    public bool Succeeded { get; private set; }

    /// <summary>Completes when the warm-up has finished (or given up).</summary>
    public Task Completed => _completed.Task;

    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            for (var round = 0; round < Rounds && !stoppingToken.IsCancellationRequested; round++)
            {
                var lease = await store.TryAcquireAsync(SessionId, instance.Id, takeOver: true)
                    ?? throw new InvalidOperationException("the warm-up session's lease was refused");
                var fields = new Dictionary<string, string>
                {
                    ["tenant"] = "warm-up",
                    ["model"] = "warm-up",
                    ["provider"] = "warm-up",
                    ["owner"] = instance.Id,
                    ["config"] = SyntheticConfig,
                    ["provider:warm_up"] = round.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                await store.WriteCheckpointAsync(lease, fields, [SyntheticItem]);
                await store.RenewAsync(lease);
                var snapshot = await store.LoadAsync(SessionId) ?? throw new InvalidOperationException("the warm-up checkpoint was not found");
                SessionSnapshots.ToResumeState(snapshot);
                await store.ReleaseAsync(lease);
            }
            await store.DeleteAsync(SessionId);
            Succeeded = !stoppingToken.IsCancellationRequested;
            logger.LogInformation("Resume path warmed up in {Ms:0} ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("Resume path warm-up skipped ({Error}); the first re-attaches will be slower", e.Message);
        }
        finally
        {
            _done = true;
            _completed.TrySetResult();
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_done ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("warming up the resume path"));
}
