namespace VoicePlatform.ModelCatalog;

/// <summary>One public model id and everything the platform needs to know to serve it.</summary>
public sealed class CatalogModel
{
    /// <summary>What a model accepts when its entry names no formats.</summary>
    public static readonly IReadOnlyList<string> DefaultAudioFormats = ["audio/pcm", "audio/pcmu", "audio/pcma"];

    /// <summary>The id clients use, e.g. <c>gpt-realtime-2</c>. The provider-prefixed form also resolves.</summary>
    public string Id { get; set; } = "";

    /// <summary>Provider key: <c>openai</c> or <c>google</c>. Also the accepted id prefix (<c>openai/...</c>).</summary>
    public string Provider { get; set; } = "";

    /// <summary>The model name sent to the provider.</summary>
    public string UpstreamModel { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>The provider's release date of the model (Unix seconds, UTC midnight): <c>created</c> in <c>/v1/models</c>.</summary>
    public long Created { get; set; }

    /// <summary>Where <see cref="Created"/> comes from (the announcement or model snapshot); documentation, not served.</summary>
    public string? CreatedSource { get; set; }

    /// <summary>
    /// Client audio formats accepted for this model (OpenAI Realtime names), as configured; null when not configured.
    /// Null rather than a default list: the configuration binder appends to a collection it finds, so a default here
    /// would be listed twice. Read <see cref="ClientAudioFormats"/>.
    /// </summary>
    public List<string>? AudioFormats { get; set; }

    /// <summary>The formats this model accepts: the configured ones, else <see cref="DefaultAudioFormats"/>.</summary>
    public IReadOnlyList<string> ClientAudioFormats => AudioFormats is { Count: > 0 } formats ? formats : DefaultAudioFormats;

    public ModelLimits Limits { get; set; } = new();

    public ModelCapabilities Capabilities { get; set; } = new();

    /// <summary>List prices in USD per 1M tokens (informational; Billing owns the priced ledger).</summary>
    public Dictionary<string, decimal> PricesPerMillionTokens { get; set; } = [];

    /// <summary>List price in USD per minute of session, for a provider that bills by time (xAI); informational.</summary>
    public decimal? PricesPerMinute { get; set; }

    /// <summary>Where the prices come from; documentation, not served.</summary>
    public string? PricesSource { get; set; }

    /// <summary>Why a limit is what it is when the provider's sources disagree or are silent; documentation, not served.</summary>
    public string? LimitsNote { get; set; }

    /// <summary>The provider's status of the model: <c>stable</c>, <c>preview</c>, <c>legacy</c> or <c>deprecated</c>; null = not stated.</summary>
    public string? Lifecycle { get; set; }

    /// <summary>For a <see cref="ModelDeployment"/>: the catalog model it serves, and is billed as; null otherwise.</summary>
    public string? DeploymentOf { get; set; }

    /// <summary>The id Billing prices this model's usage under.</summary>
    public string PricedAs => DeploymentOf ?? Id;

    /// <summary>
    /// The catalog model that now serves this id: the provider retired it. A session that names this id runs on the
    /// replacement and gets a <c>session.model_deprecated</c> warning event; <c>/v1/models</c> shows it.
    /// </summary>
    public string? ReplacedBy { get; set; }
}

public sealed class ModelLimits
{
    /// <summary>Upstream cap on one provider session, in minutes (OpenAI: 60).</summary>
    public int? ProviderSessionMinutes { get; set; }

    /// <summary>Upstream cap on one provider connection, in minutes (Gemini: about 10).</summary>
    public int? ProviderConnectionMinutes { get; set; }

    public int? ContextWindowTokens { get; set; }

    /// <summary>Most tokens one response may produce, where the provider states it.</summary>
    public int? MaxOutputTokens { get; set; }
}

public sealed class ModelCapabilities
{
    public bool Tools { get; set; } = true;
    public bool InputTranscription { get; set; } = true;
    public bool TextOutput { get; set; }

    /// <summary>Image input (<c>input_image</c> content parts).</summary>
    public bool Images { get; set; }

    /// <summary>Video frames as input (the provider's own protocol; not reachable through the OpenAI protocol yet).</summary>
    public bool Video { get; set; }

    /// <summary>Reasoning effort settings (<c>session.reasoning</c>; Gemini: thinking level or budget).</summary>
    public bool Reasoning { get; set; }

    /// <summary>The model keeps talking while a function runs (Gemini 3.8 <c>NON_BLOCKING</c> calls).</summary>
    public bool AsyncFunctionCalls { get; set; }

    /// <summary>The model may speak without being asked, or ignore input not meant for it.</summary>
    public bool ProactiveAudio { get; set; }

    /// <summary>Tone adapted to the caller's emotion (Gemini 2.5 affective dialog).</summary>
    public bool AffectiveDialog { get; set; }

    /// <summary>The client may turn server VAD off and commit turns itself (<c>turn_detection: null</c>); xAI may not.</summary>
    public bool ManualTurns { get; set; } = true;
}
