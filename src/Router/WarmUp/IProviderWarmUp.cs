using System.Net.WebSockets;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.WarmUp;

/// <summary>
/// A provider plug-in's part of the relay warm-up: it plays its provider's side of one connection from a short script
/// (over a loopback WebSocket the warm-up hosts) and opens a session through its real connector against that script.
/// Each provider folder registers one; the warm-up drives them all the same way and knows no provider.
/// </summary>
public interface IProviderWarmUp
{
    /// <summary>The provider key (as in <see cref="IProviderConnector.Provider"/>); also the loopback path segment.</summary>
    string Provider { get; }

    /// <summary>
    /// Serves one connection as the provider would: the handshake the connector waits for, then one 20 ms chunk of
    /// model audio for every audio message received, in turns, until the connector closes the socket.
    /// </summary>
    Task ServeAsync(WebSocket socket, CancellationToken cancellationToken);

    /// <summary>Opens a session through the provider's own connector code, pointed at <paramref name="baseUrl"/>.</summary>
    Task<IProviderSession> ConnectAsync(Uri baseUrl, ProviderSessionContext context, ISessionEventSink sink, CancellationToken cancellationToken);
}
