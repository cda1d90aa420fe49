using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using VoicePlatform.Router.Routing.Resolution;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Routing.Fallback;

/// <summary>
/// Opens a session on the first step of a chain that answers: a step whose provider refuses, times out, closes before
/// the session exists or reports rate limits, quota or server errors is passed over for the next one, within the setup
/// budget. A provider whose circuit is open is skipped untried. An error the session's own configuration caused ends
/// the connect at once (another provider would refuse it too). A single step is simply tried: there is nothing to
/// fall back to, so neither the circuit nor the step timeout applies to it.
/// </summary>
public sealed class ConnectFallback(ProviderCircuits circuits, IOptions<ConnectFallbackOptions> options, TimeProvider time,
    RoutingMetrics metrics, ILogger<ConnectFallback> logger)
{
    public const string CircuitOpen = "circuit_open";
    public const string ProviderTimeout = "provider_timeout";

    private static readonly HashSet<string> ClientFaults = new(StringComparer.Ordinal)
    {
        "invalid_value", "invalid_type", "unknown_parameter", "missing_required_parameter", "invalid_request_error",
    };

    /// <summary>An error about what the session asked for, which no other provider would accept either.</summary>
    public static bool IsClientFault(ProviderConnectException e) => ClientFaults.Contains(e.Code);

    /// <exception cref="ProviderConnectException">No step answered: the last step's error, its message naming every step tried.</exception>
    public async Task<ChainConnection> ConnectAsync(IReadOnlyList<ResolvedTarget> steps,
        Func<ResolvedTarget, CancellationToken, Task<IProviderSession>> connect, CancellationToken cancellationToken)
    {
        if (steps.Count == 1) return new ChainConnection(await connect(steps[0], cancellationToken), steps[0], []);

        var settings = options.Value;
        var started = time.GetTimestamp();
        var passedOver = new List<ConnectAttempt>();
        ProviderConnectException? last = null;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var left = settings.SetupBudget - time.GetElapsedTime(started);
            if (i > 0 && left <= TimeSpan.Zero) break;
            var limit = i < steps.Count - 1 ? Min(settings.ConnectTimeout, left) : Timeout.InfiniteTimeSpan;
            try
            {
                var session = await circuits.For(step.Model.Provider).ExecuteAsync(
                    async token => await ConnectWithinAsync(step, connect, limit, token), cancellationToken);
                if (passedOver.Count > 0)
                {
                    logger.LogWarning("Connect fell back to {Model} after {PassedOver}", step.Model.Id,
                        string.Join(", ", passedOver.Select(a => $"{a.Model} ({a.Code})")));
                }
                return new ChainConnection(session, step, passedOver);
            }
            catch (BrokenCircuitException)
            {
                last ??= new ProviderConnectException("provider_unavailable", $"Provider '{step.Model.Provider}' is failing for every session; it was skipped.");
                PassOver(new ConnectAttempt(step.Model.Id, step.Model.Provider, CircuitOpen));
            }
            catch (ProviderConnectException e) when (!IsClientFault(e))
            {
                last = e;
                PassOver(new ConnectAttempt(step.Model.Id, step.Model.Provider, e.Code));
            }
        }
        metrics.Exhausted();
        var tried = string.Join(", ", passedOver.Select(a => $"{a.Model} ({a.Code})"));
        throw new ProviderConnectException(last?.Code ?? "provider_unavailable", $"No model of this route could be reached: {tried}.", last);

        void PassOver(ConnectAttempt attempt)
        {
            passedOver.Add(attempt);
            metrics.FellBack(attempt);
            logger.LogWarning("Connect to {Model} on {Provider} passed over: {Code}", attempt.Model, attempt.Provider, attempt.Code);
        }
    }

    private async Task<IProviderSession> ConnectWithinAsync(ResolvedTarget step, Func<ResolvedTarget, CancellationToken, Task<IProviderSession>> connect,
        TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await connect(step, linked.Token);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderConnectException(ProviderTimeout, $"{step.Model.Id} did not open within {limit.TotalSeconds:0.#} s.", e);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
