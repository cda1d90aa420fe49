using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// A checkpointed Gemini session read back: its configuration (null if none was recorded), function calls made on a
/// connection that is gone and never answered (call id → name), whether the conversation holds assistant audio, the
/// handle to try (null: rebuild from history) and the last client frame that handle's state took in.
/// </summary>
internal sealed record RestoredGeminiSession(
    RealtimeSessionConfig? Config, IReadOnlyDictionary<string, string> OrphanedCalls, bool AssistantAudioPresent, string? Handle, ulong HandleInputSeq);
