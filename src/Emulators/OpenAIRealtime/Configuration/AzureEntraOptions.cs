namespace VoicePlatform.Emulators.OpenAIRealtime.Configuration;

/// <summary>
/// Settings of section <c>OpenAIEmulator:Azure:Entra</c>: a Microsoft Entra ID stand-in (client-credentials token
/// endpoint) whose tokens the Azure path accepts as <c>Authorization: Bearer</c>.
/// </summary>
public sealed class AzureEntraOptions
{
    public const string JwtFormat = "jwt";
    public const string OpaqueFormat = "opaque";

    /// <summary>Off: no token endpoint, and a Bearer on the Azure path is checked against <c>ApiKeys</c> like any key.</summary>
    public bool Enabled { get; set; }

    /// <summary>The only tenant served (id or domain in the path); empty serves any.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>The app registration's client id; empty accepts any non-empty id.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The app registration's secret; empty accepts any non-empty secret.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>How long an issued token opens connections (<c>expires_in</c>). Entra's default is about an hour.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary><c>jwt</c> (the shape Entra issues; unsigned claims, checked by lookup) or <c>opaque</c>.</summary>
    public string TokenFormat { get; set; } = JwtFormat;

    /// <summary>Scopes a token is issued for: Azure OpenAI's two audiences.</summary>
    public List<string> Scopes { get; set; } = ["https://cognitiveservices.azure.com/.default", "https://ai.azure.com/.default"];
}
