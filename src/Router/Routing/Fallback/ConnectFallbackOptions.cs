namespace VoicePlatform.Router.Routing.Fallback;

/// <summary>
/// Configuration section <c>Routing:Fallback</c>: how a session on a fallback chain moves on from a provider that does
/// not answer at connect or fails mid-session, and when a provider failing for every session is skipped without being tried.
/// </summary>
public sealed class ConnectFallbackOptions
{
    public const string SectionName = "Routing:Fallback";

    /// <summary>How long one step of a chain may take to open before the next step is tried (the last step has no such limit).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Total time a connect may spend on a chain: once spent, no further step is started.</summary>
    public TimeSpan SetupBudget { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether a session whose provider fails for good mid-session continues on the next model of its chain
    /// (<see cref="FallbackProviderSession"/>); off, such a session ends as it does without a chain.
    /// </summary>
    public bool MidSession { get; set; } = true;

    /// <summary>One circuit per provider, shared by every session on this Router.</summary>
    public CircuitBreakerSettings CircuitBreaker { get; set; } = new();

    public sealed class CircuitBreakerSettings
    {
        /// <summary>Share of failed connects within <see cref="SamplingDuration"/> that opens the circuit.</summary>
        public double FailureRatio { get; set; } = 0.5;

        /// <summary>Connects needed within <see cref="SamplingDuration"/> before the ratio counts (at least 2).</summary>
        public int MinimumThroughput { get; set; } = 4;

        public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>How long an open circuit skips its provider before letting one connect through to probe.</summary>
        public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
    }
}
