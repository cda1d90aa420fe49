using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Security;

/// <summary>
/// Failed authentication throttled on the running platform, by the address a client really connects from: this test's
/// "attacker" binds its sockets to another loopback address (127.0.0.0/8 is all loopback on Linux).
/// </summary>
[Collection(PlatformCollection.Name)]
public class AuthFailureThrottleTests(EndToEndPlatform platform)
{
    /// <summary>The Gateway's default <c>Gateway:AuthFailureThrottle:FailuresPerAddress</c>.</summary>
    private const int FailuresPerAddress = 20;

    private static HttpClient ConnectingFrom(IPAddress source) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    private static HttpRequestMessage Request(string url, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new("Bearer", key);
        return request;
    }

    [Fact]
    public async Task A_burst_of_bad_keys_from_one_address_gets_429_with_retry_after_while_other_addresses_keep_working()
    {
        using var attacker = ConnectingFrom(IPAddress.Parse("127.0.0.23"));
        var realtime = $"{platform.Endpoints.Gateway}/v1/realtime?model=gpt-realtime-2";
        for (var i = 0; i < FailuresPerAddress; i++)
        {
            using var refused = await attacker.SendAsync(Request(i % 2 == 0 ? realtime : $"{platform.Endpoints.Gateway}/v1/models", $"vpk_{i:x16}_guess"));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        foreach (var url in new[] { realtime, $"{platform.Endpoints.Gateway}/v1/models" })
        {
            using var throttled = await attacker.SendAsync(Request(url, platform.Endpoints.DevApiKey));
            Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
            Assert.InRange(throttled.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
            var error = (await throttled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        }

        // The good key from another address: REST and a realtime session.
        using var elsewhere = ConnectingFrom(IPAddress.Loopback);
        using var models = await elsewhere.SendAsync(Request($"{platform.Endpoints.Gateway}/v1/models", platform.Endpoints.DevApiKey));
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        await using var client = await platform.ConnectAsync("gpt-realtime-2");
        await client.ExpectAsync("session.created", TimeSpan.FromSeconds(30));
    }
}
