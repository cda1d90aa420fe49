namespace VoicePlatform.Emulators.OpenAIRealtime.Configuration;

/// <summary>Settings of section <c>OpenAIEmulator:Faults</c>: failures a connector must survive, on demand.</summary>
public sealed class FaultOptions
{
    /// <summary>Close the socket after this many client messages (0 = never).</summary>
    public int CloseAfterMessages { get; set; }

    /// <summary>Close the socket this many seconds after it opened (0 = never).</summary>
    public double CloseAfterSeconds { get; set; }

    /// <summary>Close code used by the two faults above.</summary>
    public int CloseCode { get; set; } = 1011;

    /// <summary>Close reason used by the two faults above.</summary>
    public string CloseReason { get; set; } = "emulator fault injection";

    /// <summary>
    /// When set (e.g. <c>insufficient_quota</c>, <c>invalid_api_key</c>, <c>server_error</c>), an <c>error</c>
    /// event with this code is sent before the fault close, as the real service does for fatal errors.
    /// </summary>
    public string? ErrorCode { get; set; }

    /// <summary>Delay between <c>response.created</c> and the first output item (model latency).</summary>
    public int ReplyDelayMs { get; set; }

    /// <summary>Refuse every WebSocket upgrade with <see cref="RefuseStatusCode"/> before the handshake.</summary>
    public bool RefuseConnections { get; set; }

    public int RefuseStatusCode { get; set; } = 503;

    /// <summary>
    /// Test control: a user text message containing <c>[openai-fault:CODE]</c> ends its connection once the item is
    /// added — <c>drop</c> breaks it without a close frame, any other code (e.g. <c>insufficient_quota</c>) is sent as an
    /// error and followed by the fault close. Off by default; lets one session fail while the others carry on.
    /// </summary>
    public bool TextTriggers { get; set; }
}
