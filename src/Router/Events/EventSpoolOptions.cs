namespace VoicePlatform.Router.Events;

/// <summary>Settings of the session-event spool (section <c>Events</c>).</summary>
public sealed class EventSpoolOptions
{
    public const string Section = "Events";

    /// <summary>Redis stream every Router writes its events to before they go to the bus.</summary>
    public string StreamKey { get; set; } = "router:events:spool";

    /// <summary>Consumer group the forwarders of all Router instances share.</summary>
    public string ConsumerGroup { get; set; } = "router-forwarders";

    /// <summary>An entry pending this long at another (presumably dead) consumer is claimed by this one.</summary>
    public TimeSpan ClaimIdleTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait between forwarding attempts while the bus (or Redis) fails, and between empty polls.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Bound on one publish to the bus; MassTransit waits for the broker otherwise.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a session event that produces records (a typed user item, a transcription, a response's end) waits for
    /// its records to be in the spool before it goes on to the client, so a Router killed right after the client saw
    /// it has recorded it. While Redis stalls, the event goes on after this bound (and is recorded when Redis answers).
    /// </summary>
    public TimeSpan StoreBeforeDeliveryTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Entries read per round.</summary>
    public int BatchSize { get; set; } = 64;
}
