namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>Configuration section <c>Providers:OpenAI</c>.</summary>
public sealed class OpenAIProviderOptions
{
    public const string SectionName = "Providers:OpenAI";

    /// <summary>WebSocket base, e.g. <c>wss://api.openai.com/v1</c> or the emulator's <c>ws://127.0.0.1:port/v1</c>.</summary>
    public string BaseUrl { get; set; } = "wss://api.openai.com/v1";

    public string ApiKey { get; set; } = "";

    /// <summary>
    /// How the service is signed in to: <c>bearer</c> (<see cref="ApiKey"/> as <c>Authorization: Bearer</c>: OpenAI,
    /// xAI), <c>api-key</c> (<see cref="ApiKey"/> in Azure OpenAI's <c>api-key</c> header) or <c>entra</c> (Azure
    /// OpenAI with Microsoft Entra ID tokens as <c>Authorization: Bearer</c>, see <see cref="Entra"/>).
    /// </summary>
    public string Auth { get; set; } = BearerAuth;

    public const string BearerAuth = "bearer";
    public const string ApiKeyAuth = "api-key";
    public const string EntraAuth = "entra";

    /// <summary>Where <c>Auth=entra</c> gets its tokens.</summary>
    public OpenAIEntraOptions Entra { get; set; } = new();

    /// <summary>The instance's token cache with <c>Auth=entra</c>, set by its connector (shared by its sessions).</summary>
    internal EntraAccessTokens? EntraTokens { get; set; }

    /// <summary>
    /// The service's variant of the protocol: <c>openai</c> (OpenAI and Azure OpenAI: GA as it is) or <c>xai</c>
    /// (xAI's voice agent API: see <see cref="XaiDialect"/>).
    /// </summary>
    public string Dialect { get; set; } = OpenAIDialect;

    public const string OpenAIDialect = "openai";
    public const string XaiDialectName = "xai";

    public bool IsXai => string.Equals(Dialect, XaiDialectName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Why these settings cannot work, or null.</summary>
    public string? ValidationError() =>
        Auth is not (BearerAuth or ApiKeyAuth or EntraAuth) ? $"Auth is '{Auth}'; it must be '{BearerAuth}', '{ApiKeyAuth}' or '{EntraAuth}'."
        : Auth == EntraAuth && Entra.ValidationError() is { } entra ? entra
        : !IsXai && !string.Equals(Dialect, OpenAIDialect, StringComparison.OrdinalIgnoreCase)
            ? $"Dialect is '{Dialect}'; it must be '{OpenAIDialect}' or '{XaiDialectName}'."
            : null;

    /// <summary>Limit for the upgrade plus the first <c>session.created</c> (and, separately, for restoring a session on a new connection).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest provider message accepted (audio deltas and retrieved items are the big ones).</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// The service's cap on one connection (OpenAI 60 min; Azure OpenAI and xAI 30 min). The connector takes the earlier of this (from connect) and the connection's
    /// <c>session.expires_at</c>.
    /// </summary>
    public TimeSpan SessionMaxDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long before the cap the session moves to a new connection (at the next turn boundary; forced at a quarter of
    /// this before the cap). Connections that live no longer than twice this are not rolled over. Zero disables rollover.
    /// </summary>
    public TimeSpan RolloverMargin { get; set; } = TimeSpan.FromMinutes(5);
}
