using System.Net;
using System.Net.Sockets;

namespace VoicePlatform.Infra.Tests.Simulation;

/// <summary>
/// One port of a ClusterIP Service as kube-proxy gives it: a stable address (here a loopback port) whose every new TCP
/// connection goes to one of the Service's ready, non-terminating endpoints at that moment (round robin), and stays
/// there for its life. A connection arriving while no endpoint is ready is refused (closed at once), as a Service
/// without endpoints rejects it.
/// </summary>
public sealed class ServiceProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<IReadOnlyList<int>> _endpoints;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _next;

    public ServiceProxy(string name, Func<IReadOnlyList<int>> endpoints)
    {
        Name = name;
        _endpoints = endpoints;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>"service:port", e.g. <c>router:8081</c>.</summary>
    public string Name { get; }

    public int Port { get; }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        {
            var endpoints = _endpoints();
            if (endpoints.Count == 0) return;
            var port = endpoints[(int)((uint)Interlocked.Increment(ref _next) % endpoints.Count)];
            using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            client.NoDelay = true;
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, port, _stopping.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                return;
            }
            await Task.WhenAny(CopyAsync(client, upstream), CopyAsync(upstream, client));
        }
    }

    private async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                if (read == 0) break;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        // Half-close as TCP would: the other side reads end-of-stream, then both sockets are disposed.
        try
        {
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
    }
}
