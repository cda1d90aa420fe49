namespace VoicePlatform.Emulators.GeminiLive.Transport;

/// <summary>A matched Live WebSocket path: API version and whether it is the ephemeral-token variant.</summary>
internal sealed record LiveRoute(string ApiVersion, bool Constrained)
{
    /// <summary>False for an API version this server does not serve: the socket opens, then setup closes 1008.</summary>
    public bool VersionServed { get; init; } = true;

    private const string Prefix = "ws/google.ai.generativelanguage.";
    private const string Service = ".GenerativeService.";

    /// <summary>Matches the path with any number of leading slashes (the SDKs produce "//ws/...").</summary>
    public static LiveRoute? Match(string? path)
    {
        var trimmed = (path ?? string.Empty).TrimStart('/');
        if (!trimmed.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = trimmed[Prefix.Length..];
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
}
