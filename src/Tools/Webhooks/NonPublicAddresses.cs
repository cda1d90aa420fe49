using System.Net;

namespace VoicePlatform.Tools.Webhooks;

/// <summary>
/// Address ranges a tenant's webhook must never reach: this host, private networks, link-local (including the
/// 169.254.169.254 cloud metadata service), carrier-grade NAT, multicast and reserved space. IPv4-mapped and
/// NAT64 IPv6 forms are judged by the IPv4 address they carry.
/// </summary>
public static class NonPublicAddresses
{
    private static readonly IPNetwork[] Ranges =
    [
        IPNetwork.Parse("0.0.0.0/8"),         // "this network", includes 0.0.0.0 (unspecified)
        IPNetwork.Parse("10.0.0.0/8"),        // private
        IPNetwork.Parse("100.64.0.0/10"),     // carrier-grade NAT
        IPNetwork.Parse("127.0.0.0/8"),       // loopback
        IPNetwork.Parse("169.254.0.0/16"),    // link-local, cloud metadata
        IPNetwork.Parse("172.16.0.0/12"),     // private
        IPNetwork.Parse("192.0.0.0/24"),      // IETF protocol assignments
        IPNetwork.Parse("192.168.0.0/16"),    // private
        IPNetwork.Parse("198.18.0.0/15"),     // benchmarking
        IPNetwork.Parse("224.0.0.0/4"),       // multicast
        IPNetwork.Parse("240.0.0.0/4"),       // reserved, includes 255.255.255.255
        IPNetwork.Parse("::/128"),            // unspecified
        IPNetwork.Parse("::1/128"),           // loopback
        IPNetwork.Parse("::/96"),             // IPv4-compatible (deprecated)
        IPNetwork.Parse("fc00::/7"),          // unique local
        IPNetwork.Parse("fe80::/10"),         // link-local
        IPNetwork.Parse("fec0::/10"),         // site-local (deprecated)
        IPNetwork.Parse("ff00::/8"),          // multicast
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    public static bool Contains(IPAddress address)
    {
        var normalized = Normalize(address);
        return Ranges.Any(range => range.Contains(normalized));
    }

    /// <summary>The IPv4 address an IPv4-mapped (<c>::ffff:a.b.c.d</c>) or NAT64 (<c>64:ff9b::a.b.c.d</c>) address stands for, else the address itself.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && Nat64.Contains(address))
        {
            var bytes = address.GetAddressBytes();
            return new IPAddress(bytes.AsSpan(12, 4));
        }
        return address;
    }
}
