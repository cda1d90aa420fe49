using System.Text.Json;
using Google.Apis.Auth.OAuth2;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// OAuth access tokens for Vertex AI from a service-account key file: Google's JWT-bearer flow against the key's
/// <c>token_uri</c>, done by Google.Apis.Auth, which caches the token and fetches a new one shortly before it expires.
/// One per provider instance, shared by its sessions: a token per connection would hit the token endpoint's quota.
/// </summary>
public sealed class VertexAccessTokens
{
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    private readonly ServiceAccountCredential _credential;

    private VertexAccessTokens(ServiceAccountCredential credential, string projectId)
    {
        _credential = credential;
        ProjectId = projectId;
    }

    /// <summary>The key file's <c>project_id</c>.</summary>
    public string ProjectId { get; }

    /// <summary>Reads the key file. Its clock is <paramref name="time"/>, so expiry follows the platform's time.</summary>
    public static VertexAccessTokens FromKeyFile(string path, TimeProvider time)
    {
        using var key = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = key.RootElement;
        string Field(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidOperationException($"The service-account key file '{path}' has no '{name}'.");
        if (Field("type") != "service_account")
            throw new InvalidOperationException($"The key file '{path}' is not a service-account key (type must be service_account).");
        var tokenUri = root.TryGetProperty("token_uri", out var uri) && uri.GetString() is { Length: > 0 } u ? u : GoogleAuthConsts.OidcTokenUrl;
        var initializer = new ServiceAccountCredential.Initializer(Field("client_email"), tokenUri)
        {
            Scopes = [CloudPlatformScope],
            KeyId = root.TryGetProperty("private_key_id", out var id) ? id.GetString() : null,
            Clock = new TimeProviderClock(time),
        }.FromPrivateKey(Field("private_key"));
        return new VertexAccessTokens(new ServiceAccountCredential(initializer),
            root.TryGetProperty("project_id", out var project) ? project.GetString() ?? "" : "");
    }

    /// <summary>A token valid for a while yet (cached, or fetched when the cached one is close to expiry).</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is Google.Apis.Auth.OAuth2.Responses.TokenResponseException or HttpRequestException)
        {
            var code = e is Google.Apis.Auth.OAuth2.Responses.TokenResponseException ? "invalid_api_key" : "provider_unavailable";
            throw new ProviderConnectException(code, $"Vertex AI credentials: no access token from the token endpoint ({e.Message}).", e);
        }
    }
}
