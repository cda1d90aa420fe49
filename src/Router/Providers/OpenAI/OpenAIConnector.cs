using Microsoft.Extensions.Options;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// OpenAI Realtime GA. The canonical model is OpenAI's, so this connector is a faithful relay: client events go
/// upstream unchanged, server events come back unchanged, and only audio changes representation (raw PCM inside
/// the platform, base64 on OpenAI's wire). A resumed session (<see cref="ProviderSessionContext.Resume"/>) is rebuilt
/// on a new connection from its checkpoint before this returns, invisibly to the client; sessions outlive OpenAI's
/// connection cap by rolling over to a new connection (see <see cref="OpenAISession"/>).
/// </summary>
/// <param name="provider">The provider instance's key; its settings are the named options of that key.</param>
/// <param name="time">The clock of the Entra token cache (<c>Auth=entra</c>); null is the system clock.</param>
public sealed class OpenAIConnector(string provider, IOptionsMonitor<OpenAIProviderOptions> options, ILoggerFactory loggers, TimeProvider? time = null)
    : IProviderConnector
{
    private readonly Lock _tokensLock = new();

    public string Provider => provider;

    public Task<IProviderSession> ConnectAsync(ProviderSessionContext context, ISessionEventSink sink, CancellationToken cancellationToken) =>
        OpenAsync(context, WithTokens(options.Get(provider)), sink, loggers, cancellationToken);

    /// <summary>Gives Entra settings their token cache: one per settings instance (a settings change starts a new one).</summary>
    private OpenAIProviderOptions WithTokens(OpenAIProviderOptions settings)
    {
        if (settings.Auth != OpenAIProviderOptions.EntraAuth) return settings;
        lock (_tokensLock)
        {
            settings.EntraTokens ??= EntraAccessTokens.Create(provider, settings.Entra, time ?? TimeProvider.System, loggers.CreateLogger<EntraAccessTokens>());
        }
        return settings;
    }

    /// <summary>Opens (or, with <see cref="ProviderSessionContext.Resume"/>, rebuilds) a session with the given settings.</summary>
    internal static async Task<IProviderSession> OpenAsync(ProviderSessionContext context, OpenAIProviderOptions settings, ISessionEventSink sink,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var session = new OpenAISession(context.Model.UpstreamModel, settings, sink, loggers.CreateLogger<OpenAISession>(), context.Time, context.Model.Id)
        {
            ReportContinuity = context.ReportContinuity,
        };
        try
        {
            await session.StartAsync(context.Resume, cancellationToken);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
        return session;
    }
}
