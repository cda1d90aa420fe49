using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using VoicePlatform.ModelCatalog;

namespace VoicePlatform.Gateway.Models;

/// <summary>
/// One entry of <c>GET /v1/models</c>: OpenAI's model object (<c>id</c>, <c>object</c>, <c>created</c>,
/// <c>owned_by</c>) plus what a client needs to choose: audio formats, capabilities, limits and list prices for a
/// catalog model; the target for a tenant's route.
/// </summary>
public sealed class ModelResponse
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("object")] public string Object => "model";
    /// <summary>Unix seconds: when the model entered the catalog, or when the route was created.</summary>
    [JsonPropertyName("created")] public long Created { get; init; }
    /// <summary>The provider (<c>openai</c>, <c>google</c>) for a catalog model; <c>tenant</c> for one of your routes.</summary>
    [JsonPropertyName("owned_by")] public required string OwnedBy { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }

    /// <summary>Client audio formats (OpenAI Realtime names: <c>audio/pcm</c>, <c>audio/pcmu</c>, <c>audio/pcma</c>).</summary>
    [JsonPropertyName("audio_formats"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? AudioFormats { get; init; }

    [JsonPropertyName("capabilities"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ModelCapabilitiesResponse? Capabilities { get; init; }

    [JsonPropertyName("limits"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ModelLimitsResponse? Limits { get; init; }

    /// <summary>List prices in USD per million tokens by token kind (<c>audio_input</c>, <c>audio_input_cached</c>, <c>audio_output</c>, …); informational, Billing prices the ledger.</summary>
    [JsonPropertyName("prices_per_million_tokens"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, decimal>? PricesPerMillionTokens { get; init; }

    /// <summary>List price in USD per minute of session, for a provider that bills by time (xAI).</summary>
    [JsonPropertyName("price_per_minute"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? PricePerMinute { get; init; }

    /// <summary>The provider's status of the model: <c>stable</c>, <c>preview</c>, <c>legacy</c> or <c>deprecated</c>.</summary>
    [JsonPropertyName("lifecycle"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Lifecycle { get; init; }

    /// <summary>A retired model: the catalog model sessions that name this one run on (with a deprecation warning event).</summary>
    [JsonPropertyName("replaced_by"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReplacedBy { get; init; }

    /// <summary>Only on a route: what it resolves to.</summary>
    [JsonPropertyName("route"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ModelRouteResponse? Route { get; init; }

    public static ModelResponse From(CatalogModel model) => new()
    {
        Id = model.Id,
        Created = model.Created,
        OwnedBy = model.Provider,
        Description = model.Description,
        AudioFormats = model.ClientAudioFormats,
        Capabilities = new ModelCapabilitiesResponse
        {
            Tools = model.Capabilities.Tools,
            InputTranscription = model.Capabilities.InputTranscription,
            TextOutput = model.Capabilities.TextOutput,
            Images = model.Capabilities.Images,
            Video = model.Capabilities.Video,
            Reasoning = model.Capabilities.Reasoning,
            AsyncFunctionCalls = model.Capabilities.AsyncFunctionCalls,
            ProactiveAudio = model.Capabilities.ProactiveAudio,
            AffectiveDialog = model.Capabilities.AffectiveDialog,
            ManualTurns = model.Capabilities.ManualTurns,
        },
        Limits = new ModelLimitsResponse
        {
            ProviderSessionMinutes = model.Limits.ProviderSessionMinutes,
            ProviderConnectionMinutes = model.Limits.ProviderConnectionMinutes,
            ContextWindowTokens = model.Limits.ContextWindowTokens,
            MaxOutputTokens = model.Limits.MaxOutputTokens,
        },
        PricesPerMillionTokens = model.PricesPerMillionTokens,
        PricePerMinute = model.PricesPerMinute,
        Lifecycle = model.ReplacedBy is not null ? "deprecated" : model.Lifecycle,
        ReplacedBy = model.ReplacedBy,
    };

    /// <summary>A route as the Router lists it (<c>name</c>, <c>description</c>, <c>target</c>, <c>created_at</c>).</summary>
    public static ModelResponse FromRoute(JsonNode route) => new()
    {
        Id = route["name"]?.GetValue<string>() ?? "",
        Created = route["created_at"] is JsonValue created && created.TryGetValue<long>(out var seconds) ? seconds : 0,
        OwnedBy = "tenant",
        Description = route["description"] is JsonValue description && description.TryGetValue<string>(out var text) ? text : null,
        Route = new ModelRouteResponse { Target = route["target"]?.DeepClone() },
    };
}

public sealed class ModelCapabilitiesResponse
{
    /// <summary>Function tools (client-side and platform-run).</summary>
    [JsonPropertyName("tools")] public bool Tools { get; init; }
    /// <summary>Transcripts of the caller's speech (<c>audio.input.transcription</c>).</summary>
    [JsonPropertyName("input_transcription")] public bool InputTranscription { get; init; }
    /// <summary>Text-only responses (<c>output_modalities: ["text"]</c>).</summary>
    [JsonPropertyName("text_output")] public bool TextOutput { get; init; }
    /// <summary>Image input in conversation items.</summary>
    [JsonPropertyName("images")] public bool Images { get; init; }
    /// <summary>Video frames as input (through the provider's own protocol).</summary>
    [JsonPropertyName("video")] public bool Video { get; init; }
    /// <summary>Reasoning effort settings (<c>session.reasoning</c>).</summary>
    [JsonPropertyName("reasoning")] public bool Reasoning { get; init; }
    /// <summary>The model keeps talking while a function runs; its output arrives later in the conversation.</summary>
    [JsonPropertyName("async_function_calls")] public bool AsyncFunctionCalls { get; init; }
    /// <summary>The model may speak unprompted, or ignore input not meant for it.</summary>
    [JsonPropertyName("proactive_audio")] public bool ProactiveAudio { get; init; }
    /// <summary>Tone adapted to the caller's emotion.</summary>
    [JsonPropertyName("affective_dialog")] public bool AffectiveDialog { get; init; }
    /// <summary>Server VAD may be turned off (<c>turn_detection: null</c>) and turns committed by the client.</summary>
    [JsonPropertyName("manual_turns")] public bool ManualTurns { get; init; }
}

public sealed class ModelLimitsResponse
{
    /// <summary>The provider's cap on one session, in minutes (the platform continues past it).</summary>
    [JsonPropertyName("provider_session_minutes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ProviderSessionMinutes { get; init; }
    /// <summary>The provider's cap on one connection, in minutes (the platform rolls over to a new one).</summary>
    [JsonPropertyName("provider_connection_minutes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ProviderConnectionMinutes { get; init; }
    [JsonPropertyName("context_window_tokens"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ContextWindowTokens { get; init; }
    [JsonPropertyName("max_output_tokens"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxOutputTokens { get; init; }
}

public sealed class ModelRouteResponse
{
    /// <summary>A model name, <c>{"model","session"}</c> or <c>{"fallback":[…]}</c>, as the route was defined.</summary>
    [JsonPropertyName("target")] public JsonNode? Target { get; init; }
}
