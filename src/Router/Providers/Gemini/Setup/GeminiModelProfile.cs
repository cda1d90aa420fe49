using VoicePlatform.ModelCatalog;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>The Gemini Live model families whose wire rules differ (gemini-live-3.8-and-vertex.md §2).</summary>
internal enum GeminiModelFamily
{
    /// <summary>2.5 and anything not named below: today's behaviour.</summary>
    Default,

    /// <summary><c>gemini-3.1*</c>: clientContent only as initial history.</summary>
    Live31,

    /// <summary><c>gemini-3.8-live*</c>: audio only, asynchronous functions, interactionStatus.</summary>
    Live38,

    /// <summary><c>gemini-3.8-live-extended-thinking</c>: as 3.8, plus a required thinking level.</summary>
    Live38ExtendedThinking,
}

/// <summary>
/// What the upstream model's family changes in what the adapter sends (gemini-live-3.8-and-vertex.md §2–§3), chosen
/// by the upstream model id (the last path segment, so a Vertex resource name works too).
/// </summary>
internal sealed record GeminiModelProfile(GeminiModelFamily Family)
{
    public const string ExtendedThinkingModelId = "gemini-3.8-live-extended-thinking";

    public static readonly GeminiModelProfile Default = new(GeminiModelFamily.Default);

    public bool IsLive38 => Family is GeminiModelFamily.Live38 or GeminiModelFamily.Live38ExtendedThinking;

    /// <summary>Extended thinking: a thinking level is required, functions must not be BLOCKING.</summary>
    public bool ExtendedThinking => Family == GeminiModelFamily.Live38ExtendedThinking;

    /// <summary>
    /// 3.1 takes clientContent only as initial history (setup <c>historyConfig.initialHistoryInClientContent</c>, ended
    /// by the first turnComplete:true); any later clientContent closes 1007 (livekit#5251). Text goes as realtimeInput.text.
    /// </summary>
    public bool ClientContentOnlyAsHistory => Family == GeminiModelFamily.Live31;

    /// <summary>3.8 speaks only: <c>TEXT</c> in responseModalities closes the setup.</summary>
    public bool AudioOnly => IsLive38;

    /// <summary>3.8 functions are NON_BLOCKING: the model keeps talking after a toolCall; results carry a scheduling.</summary>
    public bool AsyncFunctions => IsLive38;

    /// <summary>
    /// The extended-thinking level for an OpenAI <c>reasoning.effort</c>: minimal/low → LOW (the model refuses MINIMAL),
    /// medium → MEDIUM, high/xhigh → HIGH; absent (or unknown) → MEDIUM, the model's documented default.
    /// </summary>
    public static string ThinkingLevel(string? effort) => effort switch
    {
        "minimal" or "low" => "LOW",
        "high" or "xhigh" => "HIGH",
        _ => "MEDIUM",
    };

    /// <summary>
    /// The thinking budget for 2.5 (gemini-live-3.8-and-vertex.md §4) for an OpenAI <c>reasoning.effort</c>: minimal →
    /// 0 (thinking off), low → 1024, medium → 8192, high → 16384, xhigh → 24576 (2.5 Flash's largest budget); no effort →
    /// -1, the model's automatic budget.
    /// </summary>
    public static int ThinkingBudget(string? effort) => effort switch
    {
        "minimal" => 0,
        "low" => 1024,
        "medium" => 8192,
        "high" => 16384,
        "xhigh" => 24576,
        _ => -1,
    };

    /// <summary>The model takes <c>thinkingConfig</c>: not plain 3.8, which refuses it (§2).</summary>
    public bool AcceptsThinkingConfig => Family != GeminiModelFamily.Live38;

    /// <summary>
    /// What a client may set on this model: the catalog's capabilities, less what the family refuses (§2): 3.8 speaks
    /// only, takes no thinkingConfig unless extended thinking, has no affective dialog and always has proactive audio.
    /// </summary>
    public SessionFeatures Features(ModelCapabilities capabilities) => new()
    {
        TextOutput = capabilities.TextOutput && !AudioOnly,
        Reasoning = capabilities.Reasoning && AcceptsThinkingConfig,
        AffectiveDialog = capabilities.AffectiveDialog && !IsLive38,
        ProactiveAudio = !capabilities.ProactiveAudio ? ProactiveAudioSupport.Unsupported
            : IsLive38 ? ProactiveAudioSupport.AlwaysOn : ProactiveAudioSupport.Optional,
    };

    public static GeminiModelProfile For(string upstreamModel)
    {
        var slash = upstreamModel.LastIndexOf('/');
        var id = slash >= 0 ? upstreamModel[(slash + 1)..] : upstreamModel;
        if (id.Equals(ExtendedThinkingModelId, StringComparison.Ordinal))
        {
            return new GeminiModelProfile(GeminiModelFamily.Live38ExtendedThinking);
        }

        if (id.StartsWith("gemini-3.8-live", StringComparison.Ordinal))
        {
            return new GeminiModelProfile(GeminiModelFamily.Live38);
        }

        return id.StartsWith("gemini-3.1", StringComparison.Ordinal) ? new GeminiModelProfile(GeminiModelFamily.Live31) : Default;
    }
}
