namespace VoicePlatform.Emulators.GeminiLive.Configuration;

/// <summary>Failure injection for connector tests.</summary>
public sealed class FaultOptions
{
    /// <summary>Close after this many server messages were sent (0 = off).</summary>
    public int CloseAfterMessages { get; set; }

    /// <summary>Close after this many client messages were received (0 = off).</summary>
    public int CloseAfterClientMessages { get; set; }

    /// <summary>Close this many seconds after the connection opened (0 = off).</summary>
    public double CloseAfterSeconds { get; set; }

    public int CloseCode { get; set; } = 1011;
    public string CloseReason { get; set; } = "Internal error occurred.";

    /// <summary>Delay before the model starts answering each turn.</summary>
    public int ReplyDelayMs { get; set; }

    /// <summary>Refuse WebSocket upgrades with an HTTP status.</summary>
    public bool RefuseConnections { get; set; }
    public int RefuseStatusCode { get; set; } = 503;

    /// <summary>Apply close/refuse faults only to the first N connections (0 = every connection).</summary>
    public int FaultedConnections { get; set; }

    /// <summary>
    /// Test control: a user turn (clientContent or realtimeInput.text) containing <c>[gemini-fault:CODE]</c> ends its connection once the turn
    /// is taken — <c>drop</c> breaks it without a close frame, <c>key_expired</c> closes 1008 as for an expired key, any
    /// other code closes 1011 with it as the reason. Off by default; lets one session fail while the others carry on.
    /// </summary>
    public bool TextTriggers { get; set; }
}
