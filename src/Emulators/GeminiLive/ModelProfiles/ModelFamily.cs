namespace VoicePlatform.Emulators.GeminiLive.ModelProfiles;

/// <summary>The model lines whose Live behaviour differs (shared/protocols/gemini-live-3.8-and-vertex.md §1–§3).</summary>
internal enum ModelFamily
{
    /// <summary>2.5 native audio, half-cascade and any other id: the emulator's original behaviour.</summary>
    Default,

    /// <summary><c>gemini-3.1*</c>: as Default, but clientContent is only accepted as initial history.</summary>
    Live31,

    /// <summary><c>gemini-3.8-live*</c>: async tools by default, interactionStatus, per-turn usage, 58-minute sessions.</summary>
    Live38,

    /// <summary><c>gemini-3.8-live-extended-thinking</c>: 3.8 plus a required thinking level and background reasoning.</summary>
    Live38ExtendedThinking,
}
