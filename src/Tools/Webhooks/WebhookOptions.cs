namespace VoicePlatform.Tools.Webhooks;

/// <summary>Configuration section <c>Tools:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Tools:Webhooks";

    /// <summary>
    /// Targets the SSRF policy lets through although they resolve to loopback/private/link-local addresses, and for
    /// which plain http:// is accepted: host names (<c>hooks.internal</c>), IP addresses (<c>127.0.0.1</c>) or CIDR
    /// ranges (<c>10.20.0.0/16</c>). Empty by default.
    /// </summary>
    public List<string> AllowedTargets { get; set; } = [];

    /// <summary>Largest webhook response body accepted; a larger one is the outcome <c>response_too_large</c>.</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;

    /// <summary>Extra attempts after a 5xx, timeout or connection error, for tools marked safe to retry.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Delay before the first retry; doubles for each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public CircuitBreakerSettings CircuitBreaker { get; set; } = new();

    /// <summary>
    /// One circuit per tenant and endpoint (scheme, host, port), shared by all of that tenant's tools on the endpoint;
    /// other tenants calling the same endpoint have circuits of their own.
    /// </summary>
    public sealed class CircuitBreakerSettings
    {
        /// <summary>Share of failed calls within <see cref="SamplingDuration"/> that opens the circuit.</summary>
        public double FailureRatio { get; set; } = 0.5;

        /// <summary>Calls needed within <see cref="SamplingDuration"/> before the ratio counts (at least 2).</summary>
        public int MinimumThroughput { get; set; } = 10;

        public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>How long an open circuit refuses calls before letting one through to probe.</summary>
        public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
    }
}
