using System.Net.WebSockets;
using System.Text;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Where a Gemini instance's connections go and how each upgrade proves who we are: the Developer API's
/// <c>GenerativeService</c> with <c>?key=</c>, or Vertex AI's <c>LlmBidiService</c> with an OAuth bearer token
/// (<see cref="VertexAccessTokens"/>) or, in express mode, <c>x-goog-api-key</c>.
/// </summary>
public sealed class GeminiEndpoint
{
    private readonly VertexAccessTokens? _tokens;
    private readonly string? _apiKeyHeader;
    private readonly string _modelPrefix;
    private GeminiEndpoint? _alpha;

    private GeminiEndpoint(Uri uri, VertexAccessTokens? tokens, string? apiKeyHeader, string modelPrefix, Uri? alphaUri = null)
    {
        Uri = uri;
        _tokens = tokens;
        _apiKeyHeader = apiKeyHeader;
        _modelPrefix = modelPrefix;
        AlphaUri = alphaUri ?? uri;
    }

    /// <summary>
    /// Where a setup with 2.5's affective dialog or proactivity goes: the Developer API serves them on <c>v1alpha</c>
    /// only (gemini-live-3.8-and-vertex.md §4, §6.1). The same as <see cref="Uri"/> on Vertex or when the instance names
    /// its API version (the operator's choice stands).
    /// </summary>
    public Uri AlphaUri { get; }

    /// <summary>This endpoint on <see cref="AlphaUri"/> (the same credentials).</summary>
    public GeminiEndpoint ForAlphaFields() =>
        AlphaUri == Uri ? this : _alpha ??= new GeminiEndpoint(AlphaUri, _tokens, _apiKeyHeader, _modelPrefix);

    /// <summary>The Live API URL (on the Developer API it carries the key: log <see cref="Redacted"/>).</summary>
    public Uri Uri { get; }

    public string Redacted => Uri.GetLeftPart(UriPartial.Path);

    /// <param name="tokens">The instance's token source; required on Vertex unless express mode (an API key).</param>
    public static GeminiEndpoint For(GeminiProviderOptions options, VertexAccessTokens? tokens)
    {
        var baseUrl = options.EffectiveBaseUrl.TrimEnd('/');
        if (baseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            baseUrl = "wss://" + baseUrl["https://".Length..];
        }
        else if (baseUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            baseUrl = "ws://" + baseUrl["http://".Length..];
        }

        var path = new StringBuilder(baseUrl);
        if (options.IsVertex)
        {
            path.Append("/ws/google.cloud.aiplatform.").Append(options.EffectiveApiVersion).Append(".LlmBidiService/BidiGenerateContent");
            if (tokens is null) // express mode: an API key, no project
                return new GeminiEndpoint(new Uri(path.ToString()), tokens: null, apiKeyHeader: options.ApiKey, "publishers/google/models/");
            var project = options.Vertex.Project.Length > 0 ? options.Vertex.Project : tokens.ProjectId;
            return new GeminiEndpoint(new Uri(path.ToString()), tokens, apiKeyHeader: null,
                $"projects/{project}/locations/{options.Vertex.Location}/publishers/google/models/");
        }

        var query = options.ApiKey.Length > 0 ? "?key=" + Uri.EscapeDataString(options.ApiKey) : "";
        var uri = new Uri($"{path}/ws/google.ai.generativelanguage.{options.EffectiveApiVersion}.GenerativeService.BidiGenerateContent{query}");
        var alpha = options.ApiVersion.Length == 0
            ? new Uri($"{path}/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContent{query}")
            : uri;
        return new GeminiEndpoint(uri, tokens: null, apiKeyHeader: null, "models/", alpha);
    }

    /// <summary>
    /// Puts the credential on an upgrade request. A bearer token comes from the instance's cache, refreshed before it
    /// expires, not fetched per connection. Throws <see cref="Sessions.ProviderConnectException"/> when no token can be had.
    /// </summary>
    public async ValueTask AuthorizeAsync(ClientWebSocketOptions socket, CancellationToken cancellationToken)
    {
        if (_tokens is not null)
        {
            socket.SetRequestHeader("Authorization", "Bearer " + await _tokens.GetAsync(cancellationToken));
        }
        else if (_apiKeyHeader is { Length: > 0 })
        {
            socket.SetRequestHeader("x-goog-api-key", _apiKeyHeader);
        }
    }

    /// <summary>
    /// The setup's <c>model</c> for a catalog entry's upstream model: <c>models/{id}</c> on the Developer API,
    /// <c>projects/{p}/locations/{l}/publishers/google/models/{id}</c> on Vertex. A full resource name passes as it is.
    /// </summary>
    public string ModelPath(string upstreamModel) =>
        upstreamModel.StartsWith("models/", StringComparison.Ordinal) || upstreamModel.StartsWith("projects/", StringComparison.Ordinal)
        || upstreamModel.StartsWith("publishers/", StringComparison.Ordinal)
            ? upstreamModel
            : _modelPrefix + upstreamModel;
}
