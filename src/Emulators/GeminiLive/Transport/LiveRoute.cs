namespace VoicePlatform.Emulators.GeminiLive.Transport;

/// <summary>A matched Live WebSocket path: API version and whether it is the ephemeral-token variant.</summary>
internal sealed record LiveRoute(string ApiVersion, bool Constrained)
{
    /// <summary>False for an API version this server does not serve: the socket opens, then setup closes 1008.</summary>
    public bool VersionServed { get; init; } = true;

    /// <summary>Developer API (GenerativeService) or Vertex AI (LlmBidiService).</summary>
    public ApiSurface Surface { get; init; } = ApiSurface.DeveloperApi;

    private const string Prefix = "ws/google.ai.generativelanguage.";
    private const string Service = ".GenerativeService.";
    private const string VertexPrefix = "ws/google.cloud.aiplatform.";
    private const string VertexService = ".LlmBidiService/";

    /// <summary>
    /// Matches the path with repeated slashes collapsed (the SDKs produce "//ws/...") and under any prefix
    /// (a base URL with a path, "http://h/gem", gives "/gem/ws/..."). Never a redirect: WebSocket clients do not follow them.
    /// </summary>
    public static LiveRoute? Match(string? path)
    {
        var collapsed = "/" + string.Join('/', (path ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries));
        var developer = collapsed.LastIndexOf("/" + Prefix, StringComparison.Ordinal);
        if (developer >= 0)
        {
            return MatchDeveloper(collapsed[(developer + 1 + Prefix.Length)..]);
        }

        var vertex = collapsed.LastIndexOf("/" + VertexPrefix, StringComparison.Ordinal);
        return vertex >= 0 ? MatchVertex(collapsed[(vertex + 1 + VertexPrefix.Length)..]) : null;
    }

    private static LiveRoute? MatchDeveloper(string rest)
    {
        var dot = rest.IndexOf(Service, StringComparison.Ordinal);
        if (dot <= 0)
        {
            return null;
        }

        var version = rest[..dot];
        var method = rest[(dot + Service.Length)..];
        return method switch
        {
            "BidiGenerateContent" => new LiveRoute(version, false),
            "BidiGenerateContentConstrained" => new LiveRoute(version, true),
            _ => null,
        };
    }

    /// <summary>Vertex serves BidiGenerateContent only: no ephemeral tokens (BidiGenerateContentConstrained) there.</summary>
    private static LiveRoute? MatchVertex(string rest)
    {
        var dot = rest.IndexOf(VertexService, StringComparison.Ordinal);
        return dot > 0 && rest[(dot + VertexService.Length)..] == "BidiGenerateContent"
            ? new LiveRoute(rest[..dot], false) { Surface = ApiSurface.Vertex }
            : null;
    }
}
