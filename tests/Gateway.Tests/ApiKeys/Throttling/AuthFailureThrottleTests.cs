using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VoicePlatform.Gateway.ApiKeys.Throttling;

namespace VoicePlatform.Gateway.Tests.ApiKeys.Throttling;

/// <summary>
/// Failed authentication is throttled on the real Gateway, per client address and per key id, on REST and on the
/// realtime upgrade: a burst of bad keys gets 429 with Retry-After and an OpenAI error body, while a good key from
/// another address still works. Requests are sent through the test server with a chosen client address.
/// </summary>
public class AuthFailureThrottleTests(GatewayTestContext context) : IClassFixture<GatewayTestContext>
{
    private static readonly AuthFailureThrottleOptions Defaults = new();

    private sealed record Answer(int Status, string? RetryAfter, JsonElement Body);

    private async Task<Answer> SendAsync(string address, string path, string? apiKey)
    {
        var http = await context.First.Server.SendAsync(request =>
        {
            request.Request.Method = HttpMethods.Get;
            var query = path.IndexOf('?');
            request.Request.Path = query < 0 ? path : path[..query];
            if (query >= 0) request.Request.QueryString = new QueryString(path[query..]);
            if (apiKey is not null) request.Request.Headers.Authorization = $"Bearer {apiKey}";
            request.Connection.RemoteIpAddress = IPAddress.Parse(address);
        });
        var text = await new StreamReader(http.Response.Body).ReadToEndAsync();
        var body = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return new Answer(http.Response.StatusCode, http.Response.Headers.RetryAfter.ToString() is { Length: > 0 } r ? r : null, body);
    }

    private static string UnknownKey() => $"vpk_{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8])}_{Guid.NewGuid():N}";

    private static void AssertThrottled(Answer answer)
    {
        Assert.Equal(StatusCodes.Status429TooManyRequests, answer.Status);
        Assert.NotNull(answer.RetryAfter);
        Assert.InRange(int.Parse(answer.RetryAfter!), 1, (int)Defaults.Window.TotalSeconds);
        var error = answer.Body.GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("/v1/models", "203.0.113.10")]
    [InlineData("/v1/realtime?model=gpt-realtime-2", "203.0.113.11")]
    public async Task A_burst_of_bad_keys_from_one_address_gets_429_with_retry_after_and_a_good_key_elsewhere_still_works(string path, string attacker)
    {
        var (_, _, goodKey) = await context.CreateTenantWithKeyAsync();
        for (var i = 0; i < Defaults.FailuresPerAddress; i++)
            Assert.Equal(StatusCodes.Status401Unauthorized, (await SendAsync(attacker, path, UnknownKey())).Status);

        AssertThrottled(await SendAsync(attacker, path, UnknownKey()));
        // Refused without the key being checked: a good key from that address waits too.
        AssertThrottled(await SendAsync(attacker, path, goodKey));

        Assert.Equal(StatusCodes.Status200OK, (await SendAsync("198.51.100.20", "/v1/models", goodKey)).Status);
        // The realtime endpoint checks the key, then wants a WebSocket: 400, not 401 or 429.
        Assert.Equal(StatusCodes.Status400BadRequest, (await SendAsync("198.51.100.20", "/v1/realtime?model=gpt-realtime-2", goodKey)).Status);
    }

    [Fact]
    public async Task Guessing_one_key_ids_secret_from_many_addresses_gets_429_for_that_id_only()
    {
        var (_, keyId, goodKey) = await context.CreateTenantWithKeyAsync();
        var (_, _, otherKey) = await context.CreateTenantWithKeyAsync("Other");
        for (var i = 0; i < Defaults.FailuresPerKeyId; i++)
            Assert.Equal(StatusCodes.Status401Unauthorized, (await SendAsync($"192.0.2.{i + 1}", "/v1/models", $"vpk_{keyId}_guess{i}")).Status);

        AssertThrottled(await SendAsync("192.0.2.100", "/v1/realtime?model=gpt-realtime-2", $"vpk_{keyId}_another-guess"));
        Assert.Equal(StatusCodes.Status200OK, (await SendAsync("192.0.2.100", "/v1/models", otherKey)).Status);
        Assert.NotNull(goodKey);
    }

    [Fact]
    public async Task Successful_requests_are_not_counted()
    {
        var (_, _, goodKey) = await context.CreateTenantWithKeyAsync();
        for (var i = 0; i < Defaults.FailuresPerAddress * 2; i++)
            Assert.Equal(StatusCodes.Status200OK, (await SendAsync("198.51.100.30", "/v1/models", goodKey)).Status);
    }
}
