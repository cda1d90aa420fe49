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
}

public sealed class ModelLimits
{
    /// <summary>Upstream cap on one provider session, in minutes (OpenAI: 60).</summary>
    public int? ProviderSessionMinutes { get; set; }

    /// <summary>Upstream cap on one provider connection, in minutes (Gemini: about 10).</summary>
    public int? ProviderConnectionMinutes { get; set; }

    public int? ContextWindowTokens { get; set; }
}

public sealed class ModelCapabilities
{
    public bool Tools { get; set; } = true;
    public bool InputTranscription { get; set; } = true;
    public bool TextOutput { get; set; }
    public bool Images { get; set; }
}
