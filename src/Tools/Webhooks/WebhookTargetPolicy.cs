using System.Net;
using Microsoft.Extensions.Options;

namespace VoicePlatform.Tools.Webhooks;

/// <summary>
/// SSRF protection for tenant webhooks. A tenant controls the URL, so without this it could make the platform call
/// its own internals (databases, the cloud metadata service, other services). Targets must be https:// and resolve
/// to public addresses, unless the operator allow-lists them (<see cref="WebhookOptions.AllowedTargets"/>). URLs are
/// checked at registration (literal addresses) and again at every call (resolved addresses); the connection is then
/// made to an address that passed (<see cref="WebhookHttpClient"/>: the name is resolved and checked again there), so
/// DNS rebinding cannot slip past the check. Names are resolved through <see cref="IWebhookHostResolver"/>.
/// </summary>
public sealed class WebhookTargetPolicy(IOptions<WebhookOptions> options, IWebhookHostResolver resolver)
{
    private readonly AllowedTargets _allowed = new(options.Value.AllowedTargets);

    /// <summary>What is wrong with <paramref name="url"/> without resolving it, or null.</summary>
    public string? FindProblem(Uri url)
    {
        if (!url.IsAbsoluteUri) return "must be an absolute URL";
        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp) return "must be an https:// URL";
        if (!string.IsNullOrEmpty(url.UserInfo)) return "must not contain credentials";
        var host = url.IdnHost;
        if (string.IsNullOrEmpty(host)) return "must have a host";
        var literal = ParseAddress(host);
        var allowListed = _allowed.AllowsHost(host) || (literal is not null && _allowed.AllowsAddress(literal));
        if (url.Scheme == Uri.UriSchemeHttp && !allowListed)
            return "must use https (plain http is accepted only for hosts in the operator allow-list)";
        if (literal is not null && NonPublicAddresses.Contains(literal) && !allowListed)
            return $"targets {literal}, a loopback, private, link-local or reserved address";
        return null;
    }

    /// <summary>
    /// The addresses of <paramref name="host"/> that may be connected to; throws <see cref="ForbiddenTargetException"/>
    /// when there are none. Lookup failures surface as <see cref="System.Net.Sockets.SocketException"/>.
    /// </summary>
    public async Task<IPAddress[]> ResolvePermittedAsync(string host, CancellationToken cancellationToken)
    {
        host = host.Trim('[', ']');
        var addresses = ParseAddress(host) is { } literal ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
        // An allow-listed name is trusted whatever it resolves to (e.g. an internal service the operator chose).
        if (_allowed.AllowsHost(host)) return addresses;
        var permitted = addresses.Where(a => !NonPublicAddresses.Contains(a) || _allowed.AllowsAddress(a)).ToArray();
        if (permitted.Length == 0)
            throw new ForbiddenTargetException($"{host} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}: not a public address, and not in the operator allow-list");
        return permitted;
    }

    private static IPAddress? ParseAddress(string host) => IPAddress.TryParse(host.Trim('[', ']'), out var address) ? address : null;
}
