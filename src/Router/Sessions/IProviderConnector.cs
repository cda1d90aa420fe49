namespace VoicePlatform.Router.Sessions;

/// <summary>
/// A provider plug-in: opens provider sessions that speak the canonical session model. Each provider lives in
/// its own folder under <c>Providers/</c> and registers one of these; adding a provider touches no other.
/// </summary>
public interface IProviderConnector
{
    /// <summary>The catalog's provider key this connector serves (<c>openai</c>, <c>google</c>).</summary>
    string Provider { get; }

    /// <summary>
    /// Connects to the provider. Returns once the provider session is usable; by then the connector has emitted
    /// <c>session.created</c> to <paramref name="sink"/> (the first server event the client must see).
    /// Throws <see cref="ProviderConnectException"/> when the provider refuses.
    /// </summary>
    Task<IProviderSession> ConnectAsync(ProviderSessionContext context, ISessionEventSink sink, CancellationToken cancellationToken);
}
