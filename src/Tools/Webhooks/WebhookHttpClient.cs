using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace VoicePlatform.Tools.Webhooks;

/// <summary>
/// The HTTP client for tenant webhooks. Built by hand rather than through IHttpClientFactory on purpose: the
/// factory's defaults (service discovery, the standard resilience handler) would resolve names like
/// <c>http://router</c> to internal services and add retries the tool did not ask for. Every connection goes
/// through <see cref="WebhookTargetPolicy"/> and is made to an address it permitted; no proxy, no redirects.
/// </summary>
public sealed class WebhookHttpClient : IDisposable
{
    private readonly HttpClient _client;

    public WebhookHttpClient(WebhookTargetPolicy policy, IOptions<WebhookOptions> options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context.DnsEndPoint, cancellationToken),
            ConnectTimeout = options.Value.ConnectTimeout,
            // A redirect would be a second, unchecked target; a proxy would make the checked address irrelevant.
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            // Re-resolve (and so re-check) names regularly instead of pinning a connection forever.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        // Each call has its own deadline (the tool's timeout).
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("VoicePlatform-Webhooks/1.0");
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    private static async ValueTask<Stream> ConnectAsync(WebhookTargetPolicy policy, DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var addresses = await policy.ResolvePermittedAsync(endpoint.Host, cancellationToken);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    public void Dispose() => _client.Dispose();
}
