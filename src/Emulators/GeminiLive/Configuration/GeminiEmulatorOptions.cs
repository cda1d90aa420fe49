using VoicePlatform.Emulators.GeminiLive.Vertex;

namespace VoicePlatform.Emulators.GeminiLive.Configuration;

/// <summary>
/// Everything under <c>GeminiEmulator:*</c>. Defaults follow shared/protocols/gemini-live.md; where the
/// reference marks a behaviour as unconfirmed there is a switch so both readings can be tested.
/// The README of this project lists every setting with its default.
/// </summary>
public sealed class GeminiEmulatorOptions
{
    public const string SectionName = "GeminiEmulator";

    /// <summary>Accepted API keys; empty accepts any key (and no key).</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>When a bad key is rejected (the real timing is not captured in the reference).</summary>
    public BadKeyRejection BadKeyRejection { get; set; } = BadKeyRejection.AfterSetup;

    /// <summary>Accepted model ids without the "models/" prefix; empty accepts any model name.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>API versions served on the BidiGenerateContent path (js-genai 3.x defaults to v1; the reference names v1beta and v1alpha).</summary>
    /// <remarks>Null means the default list; a configured list replaces it (the binder would append to a non-empty default).</remarks>
    public List<string>? ApiVersions { get; set; }

    public IReadOnlyList<string> EffectiveApiVersions => ApiVersions is { Count: > 0 } ? ApiVersions : ["v1", "v1beta", "v1alpha"];

    /// <summary>API versions served on the ephemeral-token (Constrained) path: SDK says v1alpha, a 2026 report says v1beta.</summary>
    public List<string>? ConstrainedApiVersions { get; set; }

    public IReadOnlyList<string> EffectiveConstrainedApiVersions => ConstrainedApiVersions is { Count: > 0 } ? ConstrainedApiVersions : ["v1alpha", "v1beta"];

    /// <summary>Age at which a connection is closed (about 10 minutes on the real service).</summary>
    public TimeSpan ConnectionLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long before the close goAway is sent (docs ≈60 s, observed "50s").</summary>
    public TimeSpan GoAwayLeadTime { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>After goAway, send nothing more until the close (a reported real behaviour).</summary>
    public bool GoAwaySilence { get; set; }

    public int LifetimeCloseCode { get; set; } = 1011;
    public string LifetimeCloseReason { get; set; } = "Deadline expired before operation could complete.";

    /// <summary>Session cap for audio-only sessions without contextWindowCompression.</summary>
    public TimeSpan SessionCapWithoutCompression { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Session cap once video was sent, without contextWindowCompression.</summary>
    public TimeSpan SessionCapWithVideo { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Session cap with contextWindowCompression; zero means unlimited (a 2026 report saw 58 min).</summary>
    public TimeSpan SessionCapWithCompression { get; set; } = TimeSpan.Zero;

    /// <summary>Whether session time is the sum of connected time (default) or wall time since creation.</summary>
    public SessionCapClock SessionCapClock { get; set; } = SessionCapClock.ConnectedTime;

    public int SessionCapCloseCode { get; set; } = 1011;
    public string SessionCapCloseReason { get; set; } = "Deadline expired before operation could complete.";

    /// <summary>Also send goAway ahead of a session-cap close (unconfirmed; on by default).</summary>
    public bool GoAwayBeforeSessionCap { get; set; } = true;

    /// <summary>Context window in tokens; 0 picks 131072 for native-audio models and 32768 for others.</summary>
    public int ContextWindowTokens { get; set; }

    /// <summary>Audio token rate (the Live reference says ≈25 tokens/s; Gemini's audio docs say 32).</summary>
    public double AudioTokensPerSecond { get; set; } = 25;

    public int VideoTokensPerFrame { get; set; } = 258;

    /// <summary>usageMetadata as running totals over the session instead of per turn (unconfirmed).</summary>
    public bool UsageCumulative { get; set; }

    /// <summary>
    /// Extra time before the model starts each reply, per model id (without <c>models/</c>, exact name), e.g.
    /// <c>ReplyDelays:gemini-live-2.5-flash=00:00:00.250</c>: two models that answer at different speeds, for
    /// experiments. Added to <see cref="FaultOptions.ReplyDelayMs"/> on faulted connections; models not listed get none.
    /// </summary>
    public Dictionary<string, TimeSpan> ReplyDelays { get; set; } = new(StringComparer.Ordinal);

    public TimeSpan ReplyDelayFor(string modelId) =>
        ReplyDelays.TryGetValue(modelId, out var delay) && delay > TimeSpan.Zero ? delay : TimeSpan.Zero;

    /// <summary>
    /// The "demo" behaviour: user text that names a declared function (words of its name or description) calls it,
    /// with arguments guessed from the text, as a real model would; <c>call &lt;tool&gt; &lt;json&gt;</c> still wins.
    /// </summary>
    public bool DemoToolCalls { get; set; } = true;

    public ResumptionOptions Resumption { get; set; } = new();
    public OutputOptions Output { get; set; } = new();
    public VadOptions Vad { get; set; } = new();
    public WireOptions Wire { get; set; } = new();
    public StrictOptions Strict { get; set; } = new();
    public ToolOptions Tools { get; set; } = new();
    public FaultOptions Faults { get; set; } = new();
    public RecordOptions Record { get; set; } = new();
    public Live38Options Live38 { get; set; } = new();

    /// <summary>
    /// <c>Live31ClientContentOnlyAsHistory</c>: on <c>gemini-3.1*</c>, close 1007 on clientContent that is not initial
    /// history (livekit#5251; the protocol notes do not mark it unconfirmed), as the real model does. <c>false</c>
    /// emulates the permissive behaviour of older models (any clientContent accepted), for clients written before the rule.
    /// </summary>
    public bool Live31ClientContentOnlyAsHistory { get; set; } = true;

    /// <summary>
    /// <c>AlphaFieldsNeedV1Alpha</c>: on the Developer API, <c>generationConfig.enableAffectiveDialog</c> and
    /// <c>proactivity</c> are served on <c>v1alpha</c> only (the docs require it for 2.5): on another version a setup
    /// carrying them closes 1007 as an unknown field would. 3.8 keeps its own rules; Vertex is not affected.
    /// </summary>
    public bool AlphaFieldsNeedV1Alpha { get; set; } = true;

    /// <summary>The Vertex AI surface: LlmBidiService paths, OAuth bearer tokens, Vertex field differences.</summary>
    public VertexOptions Vertex { get; set; } = new();

    /// <summary>The handle validity lives at top level because it is the setting people look for.</summary>
    public TimeSpan ResumptionHandleValidity { get; set; } = TimeSpan.FromHours(2);
}
