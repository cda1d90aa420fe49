using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The Gemini Live provider: opens a BidiGenerateContent session per platform session and presents it as an OpenAI
/// Realtime GA session (canonical events). See <see cref="GeminiSession"/> for the translation.
/// </summary>
public sealed class GeminiConnector(IOptionsMonitor<GeminiProviderOptions> options, ILogger<GeminiConnector> logger) : IProviderConnector
{
    public string Provider => "google";

    public async Task<IProviderSession> ConnectAsync(ProviderSessionContext context, ISessionEventSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sink);
        if (!string.Equals(context.Model.Provider, Provider, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Model {context.Model.Id} belongs to provider '{context.Model.Provider}', not '{Provider}'.", nameof(context));
        }

        var current = options.CurrentValue;
        try
        {
            return await GeminiSession.StartAsync(context, sink, current, logger, cancellationToken);
        }
        catch (ProviderConnectException ex)
        {
            logger.LogWarning("Gemini session {SessionId} (tenant {TenantId}, model {Model}) was not opened: {Code}: {Message}",
                context.SessionId, context.TenantId, context.Model.Id, ex.Code, ex.Message);
            throw;
        }
    }
}
