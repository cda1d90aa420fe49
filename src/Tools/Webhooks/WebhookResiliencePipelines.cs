using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;

namespace VoicePlatform.Tools.Webhooks;

/// <summary>
/// Polly pipelines for webhook calls: one circuit breaker per tenant and endpoint (tenant + scheme://host:port, kept
/// in a <see cref="ResiliencePipelineRegistry{TKey}"/>), so a tenant's failing server stops being hammered and that
/// tenant's calls to it fail fast while it recovers; and the retry used for tools marked safe to retry. The tenant is
/// part of the key because many tenants share hosts (automation SaaS, serverless platforms): one tenant's broken
/// tools there must not pause every other tenant's. Transient means a 5xx, 408 or 429 status, a connection error or a
/// timeout.
/// </summary>
public sealed class WebhookResiliencePipelines : IAsyncDisposable
{
    private readonly ResiliencePipelineRegistry<string> _registry = new();
    private readonly WebhookOptions _options;

    public WebhookResiliencePipelines(IOptions<WebhookOptions> options)
    {
        _options = options.Value;
        Retry = _options.MaxRetries <= 0
            ? ResiliencePipeline<WebhookAttempt>.Empty
            : new ResiliencePipelineBuilder<WebhookAttempt>()
                .AddRetry(new RetryStrategyOptions<WebhookAttempt>
                {
                    MaxRetryAttempts = _options.MaxRetries,
                    Delay = _options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    // An open circuit is final for this call: retrying would only hit the breaker again.
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not BrokenCircuitException && IsTransient(args.Outcome)),
                })
                .Build();
    }

    /// <summary>Retries for tools marked safe to retry (an empty pipeline when retries are configured off).</summary>
    public ResiliencePipeline<WebhookAttempt> Retry { get; }

    /// <summary>The circuit breaker of <paramref name="tenantId"/>'s calls to <paramref name="url"/>'s endpoint.</summary>
    public ResiliencePipeline<WebhookAttempt> CircuitBreakerFor(Guid tenantId, Uri url) =>
        _registry.GetOrAddPipeline<WebhookAttempt>(CircuitKey(tenantId, url), builder => builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<WebhookAttempt>
        {
            FailureRatio = _options.CircuitBreaker.FailureRatio,
            MinimumThroughput = _options.CircuitBreaker.MinimumThroughput,
            SamplingDuration = _options.CircuitBreaker.SamplingDuration,
            BreakDuration = _options.CircuitBreaker.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
        }));

    /// <summary>The circuit a call belongs to: <c>{tenant}|scheme://host:port</c>.</summary>
    public static string CircuitKey(Guid tenantId, Uri url) => $"{tenantId:N}|{EndpointKey(url)}";

    public static string EndpointKey(Uri url) => $"{url.Scheme}://{url.IdnHost.ToLowerInvariant()}:{url.Port}";

    private static bool IsTransient(Outcome<WebhookAttempt> outcome) => outcome.Exception switch
    {
        null => outcome.Result is { IsTransientFailure: true },
        TimeoutException => true,
        HttpRequestException http => !IsForbiddenTarget(http),
        _ => false,
    };

    public static bool IsForbiddenTarget(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is ForbiddenTargetException) return true;
        }
        return false;
    }

    public ValueTask DisposeAsync() => _registry.DisposeAsync();
}
