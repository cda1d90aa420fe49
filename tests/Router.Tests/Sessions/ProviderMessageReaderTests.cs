using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Sessions;

/// <summary>Whole provider messages off a real WebSocket (a loopback TCP pair): fragments joined, the buffer grown, the cap kept.</summary>
public sealed class ProviderMessageReaderTests : IAsyncLifetime
{
    private TcpClient _client = null!;
    private TcpClient _server = null!;
    private WebSocket _provider = null!; // the side that sends, as a provider would
    private WebSocket _router = null!;

    public async Task InitializeAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _client = new TcpClient();
        var accept = listener.AcceptTcpClientAsync();
        await _client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        _server = await accept;
        listener.Stop();
        _provider = WebSocket.CreateFromStream(_server.GetStream(), new WebSocketCreationOptions { IsServer = true });
        _router = WebSocket.CreateFromStream(_client.GetStream(), new WebSocketCreationOptions { IsServer = false });
    }

    public Task DisposeAsync()
    {
        _provider.Dispose();
        _router.Dispose();
        _client.Dispose();
        _server.Dispose();
        return Task.CompletedTask;
    }

    private static byte[] Bytes(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public async Task A_message_sent_in_fragments_larger_than_the_first_buffer_comes_whole()
    {
        using var reader = new ProviderMessageReader(_router, 1 << 20);
        var payload = Bytes(200_000);
        for (var offset = 0; offset < payload.Length; offset += 30_000)
        {
            var count = Math.Min(30_000, payload.Length - offset);
            await _provider.SendAsync(payload.AsMemory(offset, count), WebSocketMessageType.Binary, offset + count == payload.Length, CancellationToken.None);
        }
        await _provider.SendAsync("{\"type\":\"next\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);

        var first = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal(ProviderMessageKind.Message, first.Kind);
        Assert.Equal(payload, first.Data.ToArray());
        var second = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal("{\"type\":\"next\"}"u8.ToArray(), second.Data.ToArray());
    }

    [Fact]
    public async Task A_message_of_exactly_the_cap_is_read_and_one_byte_more_is_too_large()
    {
        using var reader = new ProviderMessageReader(_router, 100_000);
        await _provider.SendAsync(Bytes(100_000), WebSocketMessageType.Binary, true, CancellationToken.None);
        var atCap = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal((ProviderMessageKind.Message, 100_000), (atCap.Kind, atCap.Data.Length));

        await _provider.SendAsync(Bytes(100_001), WebSocketMessageType.Binary, true, CancellationToken.None);
        Assert.Equal(ProviderMessageKind.TooLarge, (await reader.ReadAsync(CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task The_peers_close_is_reported_with_its_status_on_the_socket()
    {
        using var reader = new ProviderMessageReader(_router, 1 << 20);
        await _provider.CloseOutputAsync((WebSocketCloseStatus)1011, "internal error", CancellationToken.None);

        Assert.Equal(ProviderMessageKind.Closed, (await reader.ReadAsync(CancellationToken.None)).Kind);
        Assert.Equal((WebSocketCloseStatus)1011, _router.CloseStatus);
    }
}
