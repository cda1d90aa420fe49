using VoicePlatform.Emulators.GeminiLive.Model;

namespace VoicePlatform.Emulators.GeminiLive.Transport;

/// <summary>The optional fields of one serverContent frame (plus a sibling usageMetadata).</summary>
internal readonly record struct ServerContentFrame
{
    public ReadOnlyMemory<byte>? AudioPcm { get; init; }
    public string? ModelText { get; init; }
    public bool GenerationComplete { get; init; }
    public bool TurnComplete { get; init; }
    public bool Interrupted { get; init; }
    public string? InputTranscription { get; init; }
    public string? OutputTranscription { get; init; }
    public UsageNumbers? Usage { get; init; }

    /// <summary>Vertex names the reply counts candidates*; null = the Developer API's response*.</summary>
    public UsageFieldNames? UsageNames { get; init; }

    /// <summary>3.8: IN_PROGRESS or IDLE, sent with turnComplete.</summary>
    public string? InteractionStatus { get; init; }
}
