using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The Gemini Live provider: opens a BidiGenerateContent session per platform session and presents it as an OpenAI
/// Realtime GA session (canonical events). See <see cref="GeminiSession"/> for the translation. One connector per
/// provider instance: the Gemini Developer API (<c>Providers:Gemini</c>, key <c>google</c>) or Vertex AI.
/// </summary>
/// <param name="provider">The provider instance's key; its settings are the named options of that key.</param>
public sealed class GeminiConnector(string provider, IOptionsMonitor<GeminiProviderOptions> options, ILogger<GeminiConnector> logger, TimeProvider time)
    : IProviderConnector
{
    // The instance's endpoint and token cache, rebuilt when its settings change (the cache outlives connections).
    private (GeminiProviderOptions Options, GeminiEndpoint Endpoint)? _endpoint;
    private readonly Lock _endpointLock = new();

    public string Provider => provider;

    public async Task<IProviderSession> ConnectAsync(ProviderSessionContext context, ISessionEventSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sink);
        if (!string.Equals(context.Model.Provider, Provider, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Model {context.Model.Id} belongs to provider '{context.Model.Provider}', not '{Provider}'.", nameof(context));
        }

        var current = options.Get(provider);
        try
        {
            return await GeminiSession.StartAsync(context, sink, current, EndpointFor(current), logger, cancellationToken);
        }
        catch (ProviderConnectException ex)
        {
            logger.LogWarning("Gemini session {SessionId} (tenant {TenantId}, model {Model}, provider {Provider}) was not opened: {Code}: {Message}",
                context.SessionId, context.TenantId, context.Model.Id, provider, ex.Code, ex.Message);
            throw;
        }
    }

    private GeminiEndpoint EndpointFor(GeminiProviderOptions current)
    {
        lock (_endpointLock)
        {
            if (_endpoint is { } known && ReferenceEquals(known.Options, current)) return known.Endpoint;
            VertexAccessTokens? tokens;
            try
            {
                tokens = current.IsVertex && current.Vertex.ServiceAccountKeyFile.Length > 0
                    ? VertexAccessTokens.FromKeyFile(current.Vertex.ServiceAccountKeyFile, time)
                    : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException
                or InvalidOperationException or ArgumentException or System.Security.Cryptography.CryptographicException)
            {
                throw new ProviderConnectException("invalid_api_key", $"The platform's Vertex AI service-account key is unusable: {e.Message}", e);
            }
            var endpoint = GeminiEndpoint.For(current, tokens);
            _endpoint = (current, endpoint);
            return endpoint;
        }
    }
}
