using System.Net;

namespace VoicePlatform.Tools.Webhooks;

/// <summary>The operator's allow-list (<see cref="WebhookOptions.AllowedTargets"/>): host names, IP addresses and CIDR ranges.</summary>
public sealed class AllowedTargets
{
    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _networks = [];

    public AllowedTargets(IEnumerable<string> entries)
    {
        foreach (var raw in entries)
        {
            var entry = raw.Trim();
            if (entry.Length == 0) continue;
            if (IPNetwork.TryParse(entry, out var network)) _networks.Add(network);
            else if (IPAddress.TryParse(entry, out var address)) _networks.Add(new IPNetwork(NonPublicAddresses.Normalize(address), address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork || address.IsIPv4MappedToIPv6 ? 32 : 128));
            else _hosts.Add(NormalizeHost(entry));
        }
    }

    public bool AllowsHost(string host) => _hosts.Contains(NormalizeHost(host));

    public bool AllowsAddress(IPAddress address)
    {
        var normalized = NonPublicAddresses.Normalize(address);
        return _networks.Any(network => network.Contains(normalized));
    }

    private static string NormalizeHost(string host) => host.TrimEnd('.').Trim('[', ']');
}
