using Azure.Core.Pipeline;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// <c>Providers:&lt;Name&gt;:Entra</c>: how an Azure OpenAI instance with <c>Auth=entra</c> gets Microsoft Entra ID
/// tokens. <see cref="TenantId"/> + <see cref="ClientId"/> + <see cref="ClientSecret"/> sign in as an app registration
/// (client credentials); otherwise <c>DefaultAzureCredential</c> (managed identity, AKS workload identity, environment,
/// Azure CLI), with <see cref="ClientId"/> choosing a user-assigned identity when set.
/// </summary>
public sealed class OpenAIEntraOptions
{
    /// <summary>The audience Azure OpenAI accepts (<c>https://ai.azure.com/.default</c> is the newer one).</summary>
    public const string CognitiveServicesScope = "https://cognitiveservices.azure.com/.default";

    public string Scope { get; set; } = CognitiveServicesScope;

    public string TenantId { get; set; } = "";

    public string ClientId { get; set; } = "";

    /// <summary>Never logged.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>
    /// The Entra authority, e.g. <c>https://login.microsoftonline.us/</c> for a sovereign cloud or an emulator's https
    /// address. Empty: the public cloud with instance discovery; set: instance discovery off (the host is taken as is).
    /// </summary>
    public string AuthorityHost { get; set; } = "";

    /// <summary>
    /// Code only, never bound from configuration: the HTTP transport of the credential (tests give one that trusts
    /// their certificate). Null: Azure.Core's default, with the system's certificate validation.
    /// </summary>
    public HttpPipelineTransport? Transport { get; set; }

    public bool UsesClientSecret => TenantId.Length > 0 && ClientId.Length > 0 && ClientSecret.Length > 0;

    /// <summary>Why these settings cannot work, or null.</summary>
    public string? ValidationError() =>
        Scope.Length == 0 ? "Entra:Scope must not be empty."
        : ClientSecret.Length > 0 && (TenantId.Length == 0 || ClientId.Length == 0)
            ? "Entra:ClientSecret needs Entra:TenantId and Entra:ClientId."
            : AuthorityHost.Length > 0 && !(Uri.TryCreate(AuthorityHost, UriKind.Absolute, out var host) && host.Scheme == Uri.UriSchemeHttps)
                ? "Entra:AuthorityHost must be an absolute https:// URL."
                : null;
}
