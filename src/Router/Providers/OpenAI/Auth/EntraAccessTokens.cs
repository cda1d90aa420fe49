using Azure;
using Azure.Core;
using Azure.Identity;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// Microsoft Entra ID access tokens for one Azure OpenAI provider instance (<c>Auth=entra</c>), from Azure.Identity,
/// shared by the instance's sessions: a token is fetched once and reused by every connection (new sessions and
/// rollovers) until it is close to expiry on the platform's <see cref="TimeProvider"/>; connects that find it due
/// share one request. A token request per connection would hit Entra's throttling and add its latency to each connect.
/// </summary>
public sealed class EntraAccessTokens
{
    /// <summary>How early a token is replaced: MSAL's own cache buffer (it never hands out a token with less left).</summary>
    private static readonly TimeSpan RefreshLead = TimeSpan.FromMinutes(5);

    private readonly TokenCredential _credential;
    private readonly TokenRequestContext _request;
    private readonly string _provider;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private CachedToken? _current;
    private Task<CachedToken>? _fetching;

    private sealed record CachedToken(string Value, DateTimeOffset ExpiresOn, DateTimeOffset RefreshAt);

    private EntraAccessTokens(TokenCredential credential, string scope, string provider, TimeProvider time, ILogger logger)
    {
        _credential = credential;
        _request = new TokenRequestContext([scope]);
        _provider = provider;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many tokens were fetched (for logs).</summary>
    public int Fetches { get; private set; }

    /// <summary>
    /// A client-secret credential when tenant, client id and secret are set, otherwise <c>DefaultAzureCredential</c>
    /// (with <see cref="OpenAIEntraOptions.ClientId"/> as the user-assigned managed identity, if set).
    /// </summary>
    public static EntraAccessTokens Create(string provider, OpenAIEntraOptions options, TimeProvider time, ILogger logger)
    {
        Uri? authority = options.AuthorityHost.Length > 0 ? new Uri(options.AuthorityHost) : null;
        TokenCredential credential;
        if (options.UsesClientSecret)
        {
            var settings = new ClientSecretCredentialOptions { DisableInstanceDiscovery = authority is not null };
            Configure(settings, authority, options);
            credential = new ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret, settings);
        }
        else
        {
            var settings = new DefaultAzureCredentialOptions { DisableInstanceDiscovery = authority is not null };
            if (options.TenantId.Length > 0) settings.TenantId = options.TenantId;
            if (options.ClientId.Length > 0) settings.ManagedIdentityClientId = options.ClientId;
            Configure(settings, authority, options);
            credential = new DefaultAzureCredential(settings);
        }
        return new EntraAccessTokens(credential, options.Scope, provider, time, logger);
    }

    private static void Configure(TokenCredentialOptions settings, Uri? authority, OpenAIEntraOptions options)
    {
        if (authority is not null) settings.AuthorityHost = authority;
        if (options.Transport is not null) settings.Transport = options.Transport;
    }

    /// <summary>A token with a while to live yet: the cached one, or a new one when it is due for refresh.</summary>
    /// <exception cref="ProviderConnectException">Entra gave no token and the cached one (if any) has expired.</exception>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        Task<CachedToken> fetch;
        lock (_lock)
        {
            if (_current is { } current && _time.GetUtcNow() < current.RefreshAt) return current.Value;
            if (_fetching is null || _fetching.IsCompleted) _fetching = Task.Run(FetchAsync, CancellationToken.None);
            fetch = _fetching;
        }
        try
        {
            // One caller giving up does not cancel the request the others share.
            return (await fetch.WaitAsync(cancellationToken)).Value;
        }
        catch (ProviderConnectException) when (StillValid() is { } fallback)
        {
            return fallback; // the refresh failed early; the current token still opens connections until it expires
        }
    }

    private string? StillValid()
    {
        lock (_lock) return _current is { } current && _time.GetUtcNow() < current.ExpiresOn - TimeSpan.FromSeconds(30) ? current.Value : null;
    }

    /// <summary>Entra's own words (MSAL's message: AADSTS code and text) on one line, without the troubleshooting links.</summary>
    private static string Reason(Exception e)
    {
        var message = (e is AuthenticationFailedException && e.InnerException is { } inner ? inner : e).Message;
        var line = string.Join(' ', message.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .TakeWhile(part => !part.StartsWith("See the troubleshooting guide", StringComparison.Ordinal)));
        return line.Length > 400 ? line[..400] + "…" : line;
    }

    private async Task<CachedToken> FetchAsync()
    {
        AccessToken token;
        try
        {
            token = await _credential.GetTokenAsync(_request, CancellationToken.None);
        }
        catch (Exception e) when (e is AuthenticationFailedException or CredentialUnavailableException or RequestFailedException)
        {
            var reason = Reason(e);
            // Entra's answer (AADSTS… in the message) means the credentials are wrong; a transport failure may pass.
            var refused = e is CredentialUnavailableException || e.InnerException is not (RequestFailedException or HttpRequestException or null);
            _logger.LogError("Azure OpenAI provider {Provider}: no Microsoft Entra ID token for {Scope}: {Reason}", _provider, _request.Scopes[0], reason);
            throw new ProviderConnectException(refused ? "invalid_api_key" : "provider_unavailable",
                $"Microsoft Entra ID gave the platform no token for Azure OpenAI ({reason}).", e);
        }

        // MSAL stamps expiry on the system clock: keep the time left, on the platform's clock.
        var now = _time.GetUtcNow();
        var left = token.ExpiresOn - DateTimeOffset.UtcNow;
        var lead = left / 2 < RefreshLead ? left / 2 : RefreshLead;
        var refreshIn = left - lead;
        if (token.RefreshOn is { } refreshOn && refreshOn - DateTimeOffset.UtcNow < refreshIn) refreshIn = refreshOn - DateTimeOffset.UtcNow;
        var cached = new CachedToken(token.Token, now + left, now + refreshIn);
        lock (_lock)
        {
            _current = cached;
            Fetches++;
        }
        _logger.LogInformation("Azure OpenAI provider {Provider}: Microsoft Entra ID token for {Scope} valid {Minutes:0.#} min, refreshed in {RefreshMinutes:0.#} min",
            _provider, _request.Scopes[0], left.TotalMinutes, refreshIn.TotalMinutes);
        return cached;
    }
}
