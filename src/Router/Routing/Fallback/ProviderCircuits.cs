using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Routing.Fallback;

/// <summary>
/// One Polly circuit breaker per provider: when connects to a provider keep failing (refused, timed out, closed before
/// the session existed), sessions on chains skip it at once until a probe after the break succeeds. Errors the
/// session's own configuration caused do not count against the provider.
/// </summary>
public sealed class ProviderCircuits(IOptions<ConnectFallbackOptions> options, TimeProvider time) : IAsyncDisposable
{
    private readonly ResiliencePipelineRegistry<string> _registry = new();

    public ResiliencePipeline For(string provider) =>
        _registry.GetOrAddPipeline(provider, builder =>
        {
            var settings = options.Value.CircuitBreaker;
            builder.TimeProvider = time;
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = settings.FailureRatio,
                MinimumThroughput = settings.MinimumThroughput,
                SamplingDuration = settings.SamplingDuration,
                BreakDuration = settings.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is ProviderConnectException e && !ConnectFallback.IsClientFault(e)),
            });
        });

    public ValueTask DisposeAsync() => _registry.DisposeAsync();
}
