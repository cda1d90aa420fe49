namespace VoicePlatform.Contracts.Realtime;

/// <summary>
/// Message sizes along the session path, decided once so that every hop accepts what the previous one lets through:
/// a client message (at most 15 MiB, the Gateway's <c>Gateway:Realtime:MaxMessageBytes</c>) becomes canonical frames of
/// at most <see cref="MaxClientEventBytes"/> (audio appends are split far below it), which the Gateway↔Router stream
/// carries with room to spare (<see cref="MaxStreamMessageBytes"/>), and which no provider refuses for size.
/// </summary>
public static class SessionStreamLimits
{
    /// <summary>The largest canonical client event: OpenAI Realtime's per-event limit, the smallest of our providers'.</summary>
    public const int MaxClientEventBytes = 15 * 1024 * 1024;

    /// <summary>The gRPC message limit of the session stream, both directions (gRPC's default of 4 MB is too small).</summary>
    public const int MaxStreamMessageBytes = 32 * 1024 * 1024;
}
