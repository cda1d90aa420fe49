namespace VoicePlatform.Emulators.GeminiLive.ModelProfiles;

/// <summary>What a session's model family changes in the emulator's behaviour.</summary>
internal sealed record ModelProfile(ModelFamily Family)
{
    public const string ExtendedThinkingModelId = "gemini-3.8-live-extended-thinking";

    public static readonly ModelProfile Default = new(ModelFamily.Default);

    public bool IsLive38 => Family is ModelFamily.Live38 or ModelFamily.Live38ExtendedThinking;

    public bool ExtendedThinking => Family == ModelFamily.Live38ExtendedThinking;

    /// <summary>3.1 takes clientContent only as initial history (historyConfig); later use closes 1007 (livekit#5251).</summary>
    public bool ClientContentOnlyAsHistory => Family == ModelFamily.Live31;

    /// <summary>On 3.8 an undeclared <c>behavior</c> means NON_BLOCKING.</summary>
    public bool NonBlockingByDefault => IsLive38;

    /// <summary>3.8 puts <c>interactionStatus</c> on every turnComplete.</summary>
    public bool ReportsInteractionStatus => IsLive38;

    /// <summary>3.8 usage is per turn whatever <c>UsageCumulative</c> says (3P capture, §3.6).</summary>
    public bool PerTurnUsage => IsLive38;

    /// <summary>clientContent <c>turnComplete:true</c> cuts current output even under NO_INTERRUPTION.</summary>
    public bool ClientContentAlwaysInterrupts => IsLive38;

    /// <summary>3.8 sessions end at the session limit (58:00 observed), compression or not (§3.6).</summary>
    public TimeSpan LimitSessionCap(TimeSpan cap, TimeSpan limit) =>
        !IsLive38 || limit <= TimeSpan.Zero ? cap
        : cap <= TimeSpan.Zero || limit < cap ? limit : cap;

    /// <param name="modelId">Without <c>models/</c> or a Vertex resource prefix (<see cref="ModelIds.Normalize"/>).</param>
    public static ModelProfile For(string modelId)
    {
        if (modelId.Equals(ExtendedThinkingModelId, StringComparison.Ordinal))
        {
            return new ModelProfile(ModelFamily.Live38ExtendedThinking);
        }

        if (modelId.StartsWith("gemini-3.8-live", StringComparison.Ordinal))
        {
            return new ModelProfile(ModelFamily.Live38);
        }

        return modelId.StartsWith("gemini-3.1", StringComparison.Ordinal) ? new ModelProfile(ModelFamily.Live31) : Default;
    }
}
