namespace VoicePlatform.Emulators.GeminiLive.Vertex;

/// <summary>
/// <c>GeminiEmulator:Vertex:*</c>: the Vertex AI surface (LlmBidiService paths, OAuth bearer tokens from
/// <c>POST /token</c>, Vertex model names and field differences). shared/protocols/gemini-live-3.8-and-vertex.md §7.
/// </summary>
public sealed class VertexOptions
{
    /// <summary>API versions served on the LlmBidiService path (SDK default v1beta1; the docs' samples use v1).</summary>
    /// <remarks>Null means the default list; a configured list replaces it.</remarks>
    public List<string>? ApiVersions { get; set; }

    public IReadOnlyList<string> EffectiveApiVersions => ApiVersions is { Count: > 0 } ? ApiVersions : ["v1", "v1beta1"];

    /// <summary>Model ids published on Vertex; <c>*</c> accepts any. Null means the default list.</summary>
    public List<string>? Models { get; set; }

    public IReadOnlyList<string> EffectiveModels => Models is { Count: > 0 } ? Models : ["gemini-live-2.5-flash-native-audio", "gemini-3.8-live"];

    /// <summary>
    /// Google service-account JSON key files. A JWT whose <c>iss</c> is one of their <c>client_email</c>s must verify
    /// against that key; empty = claims are still checked but any signature is accepted (as empty ApiKeys accepts any key).
    /// </summary>
    public List<string> ServiceAccountKeyFiles { get; set; } = [];

    /// <summary>Lifetime of the access tokens minted at <c>POST /token</c> (Google answers <c>expires_in: 3599</c>).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(3599);

    /// <summary>
    /// Close an open socket when its bearer token expires (1008). Unconfirmed: Google checks the token at the upgrade;
    /// whether an open socket survives expiry is not known, so the default lets it live.
    /// </summary>
    public bool CloseOnTokenExpiry { get; set; }

    /// <summary>Honour <c>FunctionResponse.scheduling</c> on Vertex; by default it is ignored (WHEN_IDLE), as livekit reports.</summary>
    public bool HonourScheduling { get; set; }

    /// <summary>Models that never emit input transcription on Vertex (python-genai#2348). Null means the default list.</summary>
    public List<string>? ModelsWithoutInputTranscription { get; set; }

    public IReadOnlyList<string> EffectiveModelsWithoutInputTranscription =>
        ModelsWithoutInputTranscription is { Count: > 0 } ? ModelsWithoutInputTranscription : ["gemini-live-2.5-flash-native-audio"];

    /// <summary>Connection age at which a Vertex connection closes: goAway comes about 9 min after open (3P, MJ).</summary>
    public TimeSpan ConnectionLifetime { get; set; } = TimeSpan.FromSeconds(570);

    /// <summary>goAway <c>timeLeft</c> on Vertex (≈30 s observed).</summary>
    public TimeSpan GoAwayLeadTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a model id is served on Vertex: listed, <c>*</c> listed, or a listed id plus <c>-loopback</c>.</summary>
    public bool Serves(string modelId)
    {
        var models = EffectiveModels;
        const string Loopback = "-loopback";
        return models.Contains("*", StringComparer.Ordinal)
            || models.Contains(modelId, StringComparer.Ordinal)
            || (modelId.EndsWith(Loopback, StringComparison.Ordinal) && models.Contains(modelId[..^Loopback.Length], StringComparer.Ordinal));
    }

    public bool DropsInputTranscription(string modelId) =>
        EffectiveModelsWithoutInputTranscription.Contains(modelId, StringComparer.Ordinal);
}
