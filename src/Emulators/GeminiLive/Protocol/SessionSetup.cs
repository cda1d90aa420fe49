using System.Text.Json;

namespace VoicePlatform.Emulators.GeminiLive.Protocol;

/// <summary>The parts of BidiGenerateContentSetup the emulator acts on.</summary>
internal sealed class SessionSetup
{
    /// <summary>As sent, e.g. "models/gemini-2.5-flash-native-audio-preview-12-2025".</summary>
    public required string Model { get; init; }

    /// <summary>Model id without the "models/" prefix.</summary>
    public required string ModelId { get; init; }

    public bool AudioResponse { get; init; } = true;
    public string SystemInstruction { get; init; } = string.Empty;
    public int SystemTokens { get; init; }
    public Dictionary<string, FunctionDeclaration> Functions { get; init; } = new(StringComparer.Ordinal);

    public bool AutomaticActivityDetection { get; init; } = true;
    public string? StartSensitivity { get; init; }
    public string? EndSensitivity { get; init; }
    public int? PrefixPaddingMs { get; init; }
    public int? SilenceDurationMs { get; init; }
    /// <summary>NO_INTERRUPTION turns barge-in off.</summary>
    public bool ActivityInterrupts { get; init; } = true;

    /// <summary>Only with setup.sessionResumption does the server send resumption updates.</summary>
    public bool ResumptionEnabled { get; init; }
    public string? ResumptionHandle { get; init; }
    public bool Transparent { get; init; }

    public bool CompressionEnabled { get; init; }
    public long? TriggerTokens { get; init; }
    public long? TargetTokens { get; init; }

    public bool InputTranscription { get; init; }
    public bool OutputTranscription { get; init; }
    public bool InitialHistoryInClientContent { get; init; }

    public bool IsLoopback => ModelId.EndsWith("-loopback", StringComparison.Ordinal);
    public bool IsNativeAudio => ModelId.Contains("native-audio", StringComparison.Ordinal);
}

/// <param name="Description">As declared; the demo behaviour matches the user's words against it.</param>
/// <param name="Parameters">The declared <c>parameters</c> (or <c>parametersJsonSchema</c>) schema, if any.</param>
internal sealed record FunctionDeclaration(string Name, bool NonBlocking, string? Description = null, JsonElement? Parameters = null);
