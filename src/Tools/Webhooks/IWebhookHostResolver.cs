using System.Net;

namespace VoicePlatform.Tools.Webhooks;

/// <summary>
/// Turns a webhook's host name into addresses for <see cref="WebhookTargetPolicy"/>. Production uses DNS
/// (<see cref="DnsWebhookHostResolver"/>); tests replace it to simulate DNS rebinding (a name that answers a public
/// address at the call-time check and a private one when the connection is made).
/// </summary>
public interface IWebhookHostResolver
{
    /// <summary>The addresses of <paramref name="host"/> (never a literal address); failures are <see cref="System.Net.Sockets.SocketException"/>.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The system resolver (<see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>).</summary>
public sealed class DnsWebhookHostResolver : IWebhookHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}
