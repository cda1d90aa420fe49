using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VoicePlatform.TestSupport.Network;

/// <summary>
/// A forward proxy that forwards nothing: it records the request line of every connection (<c>CONNECT host:443</c>,
/// <c>GET http://host/…</c>) and answers 502. Processes started with <c>HTTP(S)_PROXY</c> pointing here send every
/// non-loopback HTTP request here instead of resolving and dialling the host, so an attempt to reach the outside is
/// seen even when it would have failed at DNS, and nothing leaves the machine.
/// </summary>
public sealed class ForwardProxyRecorder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ForwardProxyRecorder()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Request lines received so far, in arrival order.</summary>
    public IReadOnlyList<string> Requests => _requests.ToArray();

    /// <summary>Environment that sends a .NET process's outbound HTTP here, except to loopback.</summary>
    public Dictionary<string, string?> ProxyEnvironment()
    {
        var environment = new Dictionary<string, string?>();
        // .NET reads the lower-case forms first (http_proxy only in lower case); set both so no form is left inherited.
        foreach (var name in new[] { "http_proxy", "https_proxy", "all_proxy" })
        {
            environment[name] = Url;
            environment[name.ToUpperInvariant()] = Url;
        }
        environment["no_proxy"] = environment["NO_PROXY"] = "localhost,127.0.0.1,::1";
        return environment;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            _ = RecordAsync(client);
        }
    }

    private async Task RecordAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var line = new StringBuilder();
                var buffer = new byte[1];
                while (line.Length < 8192 && await stream.ReadAsync(buffer, _stop.Token) == 1 && buffer[0] != '\n')
                    line.Append((char)buffer[0]);
                _requests.Enqueue(line.ToString().TrimEnd('\r'));
                await stream.WriteAsync("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
            }
            catch (Exception)
            {
                // A client that gives up is still recorded if its request line arrived; nothing else matters here.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
