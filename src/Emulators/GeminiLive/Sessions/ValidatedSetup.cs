using VoicePlatform.Emulators.GeminiLive.ModelProfiles;
using VoicePlatform.Emulators.GeminiLive.Protocol;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>A setup message that passed every check, with what it selects.</summary>
/// <param name="ExplicitVadSignal">Vertex: report VAD start/end as voiceActivityDetectionSignal.</param>
/// <param name="Thinking">thoughtsTokenCount per reply, when the setup asks for thinking.</param>
internal sealed record ValidatedSetup(SessionSetup Setup, ModelProfile Profile, ThinkingSettings? Thinking, bool ExplicitVadSignal);
