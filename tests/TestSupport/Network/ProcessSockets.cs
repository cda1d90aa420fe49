using System.Globalization;
using System.Net;

namespace VoicePlatform.TestSupport.Network;

/// <summary>One TCP or UDP socket a process holds, as the kernel lists it in <c>/proc/&lt;pid&gt;/net/*</c>.</summary>
public sealed record ProcessSocket(string Protocol, IPEndPoint Local, IPEndPoint Remote)
{
    /// <summary>Connected to (or connecting to) this machine only; unconnected and listening sockets have no remote.</summary>
    public bool StaysOnLoopback => IsLoopbackOrUnspecified(Remote.Address);

    private static bool IsLoopbackOrUnspecified(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
    }

    public override string ToString() => $"{Protocol} {Local} -> {Remote}";
}

/// <summary>
/// The internet sockets a process holds: its socket inodes (<c>/proc/&lt;pid&gt;/fd</c>) joined with its network
/// namespace's tables (<c>/proc/&lt;pid&gt;/net/tcp</c>, tcp6, udp, udp6). Linux only; a process that is gone has none.
/// </summary>
public static class ProcessSockets
{
    private static readonly string[] Tables = ["tcp", "tcp6", "udp", "udp6"];

    public static IReadOnlyList<ProcessSocket> Of(int processId)
    {
        var inodes = SocketInodes(processId);
        var sockets = new List<ProcessSocket>();
        foreach (var table in Tables)
        {
            string[] lines;
            try { lines = File.ReadAllLines($"/proc/{processId}/net/{table}"); }
            catch (IOException) { continue; }
            foreach (var line in lines.Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || !inodes.Contains(fields[9])) continue;
                sockets.Add(new ProcessSocket(table, ParseEndPoint(fields[1]), ParseEndPoint(fields[2])));
            }
        }
        return sockets;
    }

    private static HashSet<string> SocketInodes(int processId)
    {
        var inodes = new HashSet<string>();
        IEnumerable<string> descriptors;
        try { descriptors = Directory.EnumerateFiles($"/proc/{processId}/fd").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return inodes; }
        foreach (var descriptor in descriptors)
        {
            string? target;
            try { target = new FileInfo(descriptor).LinkTarget; }
            catch (IOException) { continue; } // closed meanwhile
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                inodes.Add(target["socket:[".Length..^1]);
        }
        return inodes;
    }

    /// <summary>The kernel writes addresses as hex 32-bit words in host (little-endian) order, then <c>:PORT</c> in hex.</summary>
    private static IPEndPoint ParseEndPoint(string field)
    {
        var (hexAddress, hexPort) = (field[..field.IndexOf(':')], field[(field.IndexOf(':') + 1)..]);
        var bytes = Convert.FromHexString(hexAddress);
        for (var word = 0; word < bytes.Length; word += 4) Array.Reverse(bytes, word, 4);
        return new IPEndPoint(new IPAddress(bytes), int.Parse(hexPort, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
