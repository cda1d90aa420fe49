using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace VoicePlatform.Contracts.Tests.SessionSockets;

/// <summary>Two ends of a real WebSocket over a loopback TCP connection (RFC 6455 framing, no HTTP upgrade).</summary>
internal sealed class LoopbackSocketPair : IDisposable
{
    private readonly TcpClient _clientTcp;
    private readonly TcpClient _serverTcp;

    private LoopbackSocketPair(TcpClient clientTcp, TcpClient serverTcp)
    {
        (_clientTcp, _serverTcp) = (clientTcp, serverTcp);
        Client = WebSocket.CreateFromStream(clientTcp.GetStream(), new WebSocketCreationOptions { IsServer = false });
        Server = WebSocket.CreateFromStream(serverTcp.GetStream(), new WebSocketCreationOptions { IsServer = true });
    }

    public WebSocket Client { get; }

    public WebSocket Server { get; }

    public static async Task<LoopbackSocketPair> ConnectAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var client = new TcpClient();
            var accepted = listener.AcceptTcpClientAsync();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            return new LoopbackSocketPair(client, await accepted);
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>The client's TCP connection goes away without a close frame (a process killed, a cable pulled).</summary>
    public void DropClient() => _clientTcp.Client.Close(0);

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
        _clientTcp.Dispose();
        _serverTcp.Dispose();
    }
}
