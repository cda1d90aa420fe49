using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Npgsql;
using VoicePlatform.TestSupport;
using static VoicePlatform.Gateway.Tests.SessionLimits.SessionLimitsTestContext;

namespace VoicePlatform.Gateway.Tests.SessionLimits;

/// <summary>
/// Sessions the platform takes back (issue 14): idle clients, dead peers that no longer answer pings, sessions of a
/// revoked API key, and the default per-tenant concurrency cap. Real Gateway processes on real sockets (keep-alive
/// happens inside Kestrel's WebSocket, which an in-memory test server does not run); no Router, as in
/// <see cref="SessionLimitsTestContext"/>: an admitted session waits for one, holding its slot.
/// </summary>
public class SessionReclaimTests(SessionLimitsTestContext context) : IClassFixture<SessionLimitsTestContext>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_idle_session_is_warned_then_closed_and_its_slot_freed()
    {
        await using var gateway = await StartGatewayAsync(new()
        {
            ["Gateway__Realtime__IdleTimeout"] = "00:00:03",
            ["Gateway__Realtime__IdleWarning"] = "00:00:01",
        });
        var tenant = await context.NewTenantAsync();
        var (_, apiKey) = await context.NewKeyAsync(tenant);
        using var socket = await OpenSessionAsync(gateway, apiKey);
        Assert.Equal(1, await LiveSessionsAsync(tenant, expected: 1));

        var warning = await ReceiveEventAsync(socket);
        Assert.Equal("session.idle_warning", warning.GetProperty("type").GetString());
        Assert.InRange(warning.GetProperty("closes_in_ms").GetInt64(), 1, 1000);
        Assert.StartsWith("event_", warning.GetProperty("event_id").GetString());

        await ExpectCloseAsync(socket, WebSocketCloseStatus.NormalClosure, "idle_timeout");
        Assert.Equal(0, await LiveSessionsAsync(tenant, expected: 0));
    }

    [Fact]
    public async Task A_peer_that_never_answers_pings_is_dropped_and_its_slot_freed()
    {
        await using var gateway = await StartGatewayAsync(new()
        {
            ["Gateway__Realtime__KeepAliveInterval"] = "00:00:01",
            ["Gateway__Realtime__KeepAliveTimeout"] = "00:00:01",
        });
        var tenant = await context.NewTenantAsync();
        var (_, apiKey) = await context.NewKeyAsync(tenant);

        // The handshake by hand, then silence: this peer never reads, so it never answers a ping.
        using var tcp = await OpenRawSessionAsync(gateway, apiKey);
        var stream = tcp.GetStream();
        Assert.Equal(1, await LiveSessionsAsync(tenant, expected: 1));

        // Reclaimed: the slot is free (the session ended) although the peer never closed anything.
        Assert.Equal(0, await LiveSessionsAsync(tenant, expected: 0));
        // And the Gateway dropped the connection: reading now finds its end (after the unanswered pings).
        using var drained = new CancellationTokenSource(Bound);
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, drained.Token) > 0) { }
        }
        catch (IOException)
        {
            // reset rather than closed: dropped all the same
        }
    }

    [Fact]
    public async Task A_tenant_without_its_own_limit_gets_the_default_cap_across_gateways()
    {
        var settings = new Dictionary<string, string> { ["Gateway__SessionLimits__DefaultMaxConcurrentSessions"] = "2" };
        await using var first = await StartGatewayAsync(settings);
        await using var second = await StartGatewayAsync(settings);
        var tenant = await context.NewTenantAsync();
        var (_, apiKey) = await context.NewKeyAsync(tenant);

        using var admin = context.Operator();
        var limits = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/tenants/{tenant}/limits");
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("max_concurrent_sessions").ValueKind);

        var one = await OpenSessionAsync(first, apiKey);
        var two = await OpenSessionAsync(second, apiKey);
        foreach (var gateway in new[] { first, second })
        {
            var refused = await AttemptAsync(gateway, apiKey);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
            Assert.Equal("rate_limit_exceeded", refused.Code);
            Assert.Equal("rate_limit_error", refused.Type);
            Assert.Contains("2 realtime sessions at once", refused.Message);
            Assert.NotNull(refused.RetryAfter);
            Assert.True(refused.RetryAfter > TimeSpan.Zero);
        }

        // The tenant's own limit overrides the default, upwards too.
        await context.SetLimitsAsync($"/v1/admin/tenants/{tenant}/limits", new { max_concurrent_sessions = 3 });
        var three = await OpenSessionAsync(first, apiKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await AttemptAsync(second, apiKey)).Status);

        await CloseAsync(one);
        await CloseAsync(two);
        await CloseAsync(three);
    }

    [Fact]
    public async Task The_default_cap_shows_in_the_operator_api_as_the_effective_limit()
    {
        // The fixture's Gateways run with the shipped default.
        var tenant = await context.NewTenantAsync();
        using var admin = context.Operator();
        var limits = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/tenants/{tenant}/limits");
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("max_concurrent_sessions").ValueKind);
        Assert.Equal(100, limits.GetProperty("effective_max_concurrent_sessions").GetInt32());

        await context.SetLimitsAsync($"/v1/admin/tenants/{tenant}/limits", new { max_concurrent_sessions = 250 });
        limits = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/tenants/{tenant}/limits");
        Assert.Equal(250, limits.GetProperty("effective_max_concurrent_sessions").GetInt32());
    }

    [Fact]
    public async Task Revoking_a_key_ends_its_live_sessions_on_every_gateway()
    {
        var tenant = await context.NewTenantAsync();
        var (keyId, apiKey) = await context.NewKeyAsync(tenant);
        var (_, otherKey) = await context.NewKeyAsync(tenant);
        using var revokedHere = await OpenSessionAsync(context.First, apiKey);
        using var revokedThere = await OpenSessionAsync(context.Second, apiKey);
        using var unaffected = await OpenSessionAsync(context.Second, otherKey);
        Assert.Equal(3, await LiveSessionsAsync(tenant, expected: 3));

        using (var admin = context.Operator())
        using (var revoked = await admin.DeleteAsync($"/v1/admin/keys/{keyId}"))
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode); // on the first Gateway; the second hears it through Redis

        foreach (var socket in new[] { revokedHere, revokedThere })
        {
            var error = await ReceiveEventAsync(socket);
            Assert.Equal("error", error.GetProperty("type").GetString());
            Assert.Equal("api_key_revoked", error.GetProperty("error").GetProperty("code").GetString());
            Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());
            await ExpectCloseAsync(socket, WebSocketCloseStatus.PolicyViolation, "api_key_revoked");
        }
        Assert.Equal(1, await LiveSessionsAsync(tenant, expected: 1));
        Assert.Equal(WebSocketState.Open, unaffected.State);
        await CloseAsync(unaffected);
    }

    [Fact]
    public async Task Revoking_a_key_ends_the_sessions_of_ephemeral_keys_it_minted()
    {
        var tenant = await context.NewTenantAsync();
        var (keyId, apiKey) = await context.NewKeyAsync(tenant);
        using var tenantClient = new HttpClient { BaseAddress = new Uri(context.Second.Url) };
        tenantClient.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        using var minted = await tenantClient.PostAsJsonAsync("/v1/realtime/client_secrets", new { session = new { type = "realtime", model = "gpt-realtime-2" } });
        Assert.True(minted.IsSuccessStatusCode, await minted.Content.ReadAsStringAsync());
        var ephemeralKey = (await minted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").GetString()!;

        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {ephemeralKey}");
        await socket.ConnectAsync(new Uri($"{context.Second.Url.Replace("http://", "ws://")}/v1/realtime"), CancellationToken.None);
        using (socket)
        {
            Assert.Equal(1, await LiveSessionsAsync(tenant, expected: 1));
            using (var admin = context.Operator())
            using (var revoked = await admin.DeleteAsync($"/v1/admin/keys/{keyId}"))
                Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

            var error = await ReceiveEventAsync(socket);
            Assert.Equal("api_key_revoked", error.GetProperty("error").GetProperty("code").GetString());
            await ExpectCloseAsync(socket, WebSocketCloseStatus.PolicyViolation, "api_key_revoked");
        }
        Assert.Equal(0, await LiveSessionsAsync(tenant, expected: 0));
    }

    [Fact]
    public async Task A_revocation_the_broadcast_never_carried_still_ends_the_session_within_the_key_cache_time()
    {
        var tenant = await context.NewTenantAsync();
        var (keyId, apiKey) = await context.NewKeyAsync(tenant);
        using var socket = await OpenSessionAsync(context.First, apiKey);
        Assert.Equal(1, await LiveSessionsAsync(tenant, expected: 1));

        // Revoked behind the Gateways' backs (as if the Redis message was lost): only the periodic check can see it.
        await using (var database = new NpgsqlConnection(context.DatabaseConnectionString))
        {
            await database.OpenAsync();
            await using var update = new NpgsqlCommand("UPDATE api_keys SET revoked_at = now() WHERE id = @id", database);
            update.Parameters.AddWithValue("id", keyId);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var error = await ReceiveEventAsync(socket);
        Assert.Equal("api_key_revoked", error.GetProperty("error").GetProperty("code").GetString());
        await ExpectCloseAsync(socket, WebSocketCloseStatus.PolicyViolation, "api_key_revoked");
    }

    [Fact]
    public async Task A_gateway_closing_a_session_waits_for_the_clients_close_reply_and_drains_what_came_before_it()
    {
        await using var gateway = await StartGatewayAsync(new()
        {
            ["Gateway__Realtime__IdleTimeout"] = "00:00:02",
            ["Gateway__Realtime__IdleWarning"] = "00:00:01",
        });
        var tenant = await context.NewTenantAsync();
        var (_, apiKey) = await context.NewKeyAsync(tenant);
        using var tcp = await OpenRawSessionAsync(gateway, apiKey);
        var stream = tcp.GetStream();

        // The idle close arrives (peeked at, not read), and the client goes on sending as one does that has not read
        // it yet. The Gateway must keep reading until the close reply (RFC 6455 7.1.1): a connection dropped with unread
        // data is reset, and a reset can throw away the close frame still waiting in the client's receive buffer.
        await WaitUntilBufferedAsync(tcp.Client, IsServerClose);
        for (var i = 0; i < 20; i++) await stream.WriteAsync(ClientFrame(0x1, Encoding.UTF8.GetBytes("""{"type":"input_audio_buffer.clear"}""")));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using (var unanswered = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)))
        {
            var dropped = false;
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer, unanswered.Token)) > 0) received.Write(buffer, 0, n);
                dropped = true;
            }
            catch (OperationCanceledException)
            {
                // still open: the Gateway waits for the reply
            }

            Assert.False(dropped, "the Gateway ended the connection before the client answered its close");
        }

        await stream.WriteAsync(ClientFrame(0x8, [0x03, 0xE8]));
        using var drained = new CancellationTokenSource(Bound);
        int read;
        while ((read = await stream.ReadAsync(buffer, drained.Token)) > 0) received.Write(buffer, 0, read); // IOException: a reset
        var close = ServerFrames(received.ToArray()).Last();
        Assert.Equal(0x8, close.Opcode);
        Assert.Equal(1000, close.Payload[0] << 8 | close.Payload[1]);
        Assert.Equal("idle_timeout", Encoding.UTF8.GetString(close.Payload.AsSpan(2)));
    }

    /// <summary>Polls what the socket holds without taking it (the test must not read yet) until <paramref name="holds"/> is true.</summary>
    private static async Task WaitUntilBufferedAsync(Socket socket, Func<byte[], bool> holds)
    {
        var deadline = DateTimeOffset.UtcNow + Bound;
        var peek = new byte[64 * 1024];
        while (true)
        {
            var count = socket.Available > 0 ? socket.Receive(peek, SocketFlags.Peek) : 0;
            if (holds(peek[..count])) return;
            Assert.True(DateTimeOffset.UtcNow < deadline, "the Gateway sent no close frame");
            await Task.Delay(20);
        }
    }

    private static bool IsServerClose(byte[] bytes) => ServerFrames(bytes).Any(f => f.Opcode == 0x8);

    /// <summary>The complete unmasked frames in <paramref name="bytes"/> (server to client), in order.</summary>
    private static List<(int Opcode, byte[] Payload)> ServerFrames(byte[] bytes)
    {
        var frames = new List<(int, byte[])>();
        var at = 0;
        while (at + 2 <= bytes.Length)
        {
            var opcode = bytes[at] & 0x0F;
            long length = bytes[at + 1] & 0x7F;
            var header = 2;
            if (length == 126)
            {
                if (at + 4 > bytes.Length) break;
                length = bytes[at + 2] << 8 | bytes[at + 3];
                header = 4;
            }
            else if (length == 127)
            {
                if (at + 10 > bytes.Length) break;
                length = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(at + 2, 8));
                header = 10;
            }

            if (at + header + length > bytes.Length) break;
            frames.Add((opcode, bytes.AsSpan(at + header, (int)length).ToArray()));
            at += header + (int)length;
        }

        return frames;
    }

    /// <summary>One masked client frame (final, payload under 126 bytes).</summary>
    private static byte[] ClientFrame(int opcode, byte[] payload)
    {
        var mask = new byte[] { 0x12, 0x34, 0x56, 0x78 };
        var frame = new byte[6 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        frame[1] = (byte)(0x80 | payload.Length);
        mask.CopyTo(frame, 2);
        for (var i = 0; i < payload.Length; i++) frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        return frame;
    }

    private Task<GatewayProcess> StartGatewayAsync(Dictionary<string, string> settings)
    {
        foreach (var (name, value) in Settings) settings.TryAdd(name, value);
        return GatewayProcess.StartAsync(context.DatabaseConnectionString, OperatorKey, settings);
    }

    /// <summary>The tenant's live sessions across all Gateways, once they reach <paramref name="expected"/> (or after the bound).</summary>
    private async Task<long> LiveSessionsAsync(string tenant, long expected)
    {
        using var admin = context.Operator();
        return await Poll.UntilAsync(async () =>
            (await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/tenants/{tenant}/limits")).GetProperty("live_sessions").GetInt64(),
            live => live == expected, Bound);
    }

    private static async Task<JsonElement> ReceiveEventAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        Assert.True(result.EndOfMessage);
        return JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
    }

    private static async Task ExpectCloseAsync(ClientWebSocket socket, WebSocketCloseStatus status, string reason)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var result = await socket.ReceiveAsync(new byte[64 * 1024], timeout.Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(status, socket.CloseStatus);
        Assert.Equal(reason, socket.CloseStatusDescription);
    }

    /// <summary>A realtime session opened with the WebSocket handshake done by hand, for a peer that misbehaves on purpose.</summary>
    private static async Task<TcpClient> OpenRawSessionAsync(GatewayProcess gateway, string apiKey)
    {
        var tcp = new TcpClient();
        try
        {
            var uri = new Uri(gateway.Url);
            await tcp.ConnectAsync(uri.Host, uri.Port);
            var stream = tcp.GetStream();
            var request = $"GET /v1/realtime?model=gpt-realtime-2 HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\nAuthorization: Bearer {apiKey}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            Assert.StartsWith("HTTP/1.1 101", await ReadResponseHeadAsync(stream));
            return tcp;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private static async Task<string> ReadResponseHeadAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, timeout.Token) == 1)
            head.Append((char)one[0]);
        return head.ToString();
    }
}
