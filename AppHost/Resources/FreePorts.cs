using System.Net;
using System.Net.Sockets;

namespace VoicePlatform.AppHost.Resources;

/// <summary>
/// Free loopback ports for the platform's processes, never the same one twice in this process. They are picked below
/// the kernel's ephemeral range (<c>net.ipv4.ip_local_port_range</c>): a port handed out there is bound a moment later
/// by the process it is for, and in between the kernel could give it to any outgoing connection on the machine (which
/// once made a Router's bind fail with "address already in use" in CI). Ports outside that range are only taken by
/// explicit binds.
/// </summary>
public static class FreePorts
{
    private const int LowestPort = 15_000;
    private static readonly HashSet<int> Handed = [];
    private static readonly Lock Gate = new();
    private static readonly (int Low, int High) Window = WindowBelowEphemeralRange();

    public static int Next()
    {
        lock (Gate)
        {
            if (Window.High - Window.Low >= 1_000)
            {
                for (var attempt = 0; attempt < 200; attempt++)
                {
                    var port = Random.Shared.Next(Window.Low, Window.High);
                    if (!Handed.Contains(port) && IsFree(port) && Handed.Add(port)) return port;
                }
            }
            // No usable window (an unusual kernel setting): let the kernel choose.
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Handed.Add(port)) return port;
            }
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

    private static (int Low, int High) WindowBelowEphemeralRange()
    {
        var ephemeralLow = 32_768; // Linux's default
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (range.Length >= 1 && int.TryParse(range[0], out var low)) ephemeralLow = low;
        }
        catch (IOException)
        {
            // Not Linux, or no procfs: assume the default range.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return (LowestPort, Math.Min(ephemeralLow, 65_535));
    }
}
