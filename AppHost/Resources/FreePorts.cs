using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace VoicePlatform.AppHost.Resources;

/// <summary>
/// Free loopback ports for servers, never the same one twice in this process. They come from below the kernel's
/// ephemeral range (<c>ip_local_port_range</c>, 32768 and up by default): a port picked inside it can be taken as the
/// source port of any outgoing connection before its server binds it, and the Routers, which start last, failed so in
/// CI ("address already in use"). Each process probes upward from its own random point, so two processes that both
/// pick ports (a test and the AppHost it starts) rarely meet. A port handed out is also reserved for the life of the
/// process with a lock file (<c>$TMPDIR/voiceplatform-ports/&lt;port&gt;.lock</c>, held open with FileShare.None, which
/// .NET maps to an advisory flock the kernel drops when the process ends): a server that is stopped and started again
/// (a Redis restart in a fault test) finds its port free, not taken by another process's platform meanwhile.
/// </summary>
public static class FreePorts
{
    private const int Lowest = 20_000;
    private static readonly int Highest = EphemeralStart() - 1;
    private static readonly HashSet<int> Handed = [];
    private static readonly Lock Gate = new();
    private static readonly List<FileStream> Reservations = [];
    private static readonly string ReservationDirectory = Path.Combine(Path.GetTempPath(), "voiceplatform-ports");
    private static int _next = Lowest + Random.Shared.Next(Highest - Lowest + 1);

    public static int Next()
    {
        lock (Gate)
        {
            for (var tried = 0; tried <= Highest - Lowest; tried++)
            {
                var port = _next;
                _next = _next == Highest ? Lowest : _next + 1;
                if (!Handed.Contains(port) && IsFree(port) && Reserve(port))
                {
                    Handed.Add(port);
                    return port;
                }
            }
            throw new InvalidOperationException($"No free loopback port between {Lowest} and {Highest}.");
        }
    }

    /// <summary>Takes the port's lock file; false when another process (or an earlier hand-out here) holds it.</summary>
    private static bool Reserve(int port)
    {
        try
        {
            Directory.CreateDirectory(ReservationDirectory);
            var path = Path.Combine(ReservationDirectory, port.ToString(CultureInfo.InvariantCulture) + ".lock");
            Reservations.Add(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true; // no shared place to reserve in: this process's own bookkeeping still holds
        }
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port the kernel hands to outgoing connections (Linux; elsewhere the IANA dynamic range).</summary>
    private static int EphemeralStart()
    {
        const int iana = 49_152;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            var start = int.Parse(range[0], CultureInfo.InvariantCulture);
            return start > Lowest + 1_000 ? start : iana; // an unusually wide ephemeral range: keep to the IANA split
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return iana;
        }
    }
}
