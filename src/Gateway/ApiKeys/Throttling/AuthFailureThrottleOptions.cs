namespace VoicePlatform.Gateway.ApiKeys.Throttling;

/// <summary>
/// Throttling of failed authentication (configuration section <c>Gateway:AuthFailureThrottle</c>): once a client
/// address or a key id has had this many failures within <see cref="Window"/>, its requests get 429 with
/// <c>Retry-After</c>, without their key being checked, until the window that began with its first failure ends.
/// </summary>
public sealed class AuthFailureThrottleOptions
{
    public const string SectionName = "Gateway:AuthFailureThrottle";

    /// <summary>Failures allowed per client address (an IPv6 client's /64) per window; 0 turns this partition off.</summary>
    public int FailuresPerAddress { get; set; } = 20;

    /// <summary>Failures allowed per key id (the public <c>vpk_&lt;id&gt;_</c> part) per window; 0 turns this partition off.</summary>
    public int FailuresPerKeyId { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Upper bound on the partitions tracked per kind, so a spray of addresses or ids cannot grow memory without end.</summary>
    public int MaxTrackedPartitions { get; set; } = 100_000;
}
