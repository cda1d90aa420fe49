using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Limits;

/// <summary>
/// Ephemeral keys for browsers: minted with a tenant API key in OpenAI's shape, usable only on /v1/realtime until they
/// expire, pinning the configuration they were minted with, and carrying caps the server enforces.
/// </summary>
[Collection(PlatformCollection.Name)]
public class ClientSecretTests(EndToEndPlatform platform)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    private HttpClient Http(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private async Task<JsonElement> MintAsync(object request, string? apiKey = null)
    {
        using var http = Http(apiKey ?? platform.Endpoints.DevApiKey);
        using var response = await http.PostAsJsonAsync("/v1/realtime/client_secrets", request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    private Uri RealtimeUri(string? model = null) =>
        new($"{platform.Endpoints.Gateway.Replace("http://", "ws://")}/v1/realtime{(model is null ? "" : $"?model={model}")}");

    /// <summary>Connects as a browser does: the key in the subprotocol, no Authorization header.</summary>
    private static Task<RealtimeTestClient> ConnectAsBrowserAsync(Uri uri, string ephemeralKey) =>
        RealtimeTestClient.ConnectAsync(uri, ephemeralKey, options =>
        {
            options.AddSubProtocol("realtime");
            options.AddSubProtocol($"openai-insecure-api-key.{ephemeralKey}");
        });

    [Theory]
    [MemberData(nameof(RealtimeConversationTests.Models), MemberType = typeof(RealtimeConversationTests))]
    public async Task An_ephemeral_key_starts_a_session_with_the_configuration_it_pins(string model)
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var secret = await MintAsync(new
        {
            expires_after = new { anchor = "created_at", seconds = 120 },
            session = new { type = "realtime", model, instructions = "You are the pinned assistant.", audio = new { output = new { format = new { type = "audio/pcmu" } } } },
        });
        var value = secret.Str("value");
        Assert.StartsWith("ek_", value);
        Assert.InRange(secret.GetProperty("expires_at").GetInt64(), before + 119, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 121);
        Assert.Equal(model, secret.GetProperty("session").Str("model"));
        Assert.Equal("realtime.session", secret.GetProperty("session").Str("object"));

        await using var client = await ConnectAsBrowserAsync(RealtimeUri(), value); // no model: the key names it
        Assert.Equal("realtime", client.Socket.SubProtocol);
        var created = await client.ExpectAsync("session.created", Turn);
        var session = created.GetProperty("session");
        Assert.Equal("You are the pinned assistant.", session.Str("instructions"));
        Assert.Equal("audio/pcmu", session.GetProperty("audio").GetProperty("output").GetProperty("format").Str("type"));

        await RealtimeConversationTests.SendUserTextAsync(client, "Hello there");
        var events = await client.CollectUntilAsync("response.done", Turn);
        Assert.DoesNotContain(events, e => e.Type() is "error" or "session.updated");
        var transcript = events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript");
        var bytes = events.Where(e => e.Type() == "response.output_audio.delta").Sum(d => Convert.FromBase64String(d.Str("delta")).Length);
        Assert.InRange(bytes, transcript.Length * 0.060 * 8000 * 0.7, transcript.Length * 0.060 * 8000 * 1.3); // μ-law, 8 kHz
    }

    [Fact]
    public async Task An_ephemeral_key_works_only_on_the_realtime_endpoint()
    {
        var value = (await MintAsync(new { session = new { type = "realtime", model = "gpt-realtime-2" } })).Str("value");
        using var http = Http(value);
        foreach (var (method, path) in new[] { ("GET", "/v1/models"), ("GET", "/v1/usage"), ("GET", "/v1/sessions"), ("GET", "/v1/tools"), ("POST", "/v1/realtime/client_secrets") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST") request.Content = JsonContent.Create(new { session = new { type = "realtime" } });
            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal("invalid_api_key", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").Str("code"));
        }
        using var admin = Http(value);
        using var operatorApi = await admin.GetAsync("/v1/admin/tenants");
        Assert.Equal(HttpStatusCode.Unauthorized, operatorApi.StatusCode);

        var mismatch = await HandshakeAttempt.SendAsync($"{platform.Endpoints.Gateway}/v1/realtime?model=gemini-3.1-flash-live", value);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.Status);
        Assert.Equal("model_mismatch", mismatch.Code);
    }

    [Fact]
    public async Task An_ephemeral_key_expires_on_time()
    {
        var secret = await MintAsync(new { expires_after = new { anchor = "created_at", seconds = 10 }, session = new { type = "realtime", model = "gpt-realtime-2" } });
        var value = secret.Str("value");
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(secret.GetProperty("expires_at").GetInt64());

        await using (var client = await ConnectAsBrowserAsync(RealtimeUri(), value))
            await client.ExpectAsync("session.created", Turn);

        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500));
        var refused = await HandshakeAttempt.SendAsync($"{platform.Endpoints.Gateway}/v1/realtime", value);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("invalid_api_key", refused.Code);
    }

    [Fact]
    public async Task The_duration_cap_ends_the_session_cleanly()
    {
        var value = (await MintAsync(new { session = new { type = "realtime", model = "gpt-realtime-2" }, limits = new { max_session_duration_seconds = 3 } })).Str("value");
        // The cap runs from the Gateway's upgrade, which comes after this and before session.created arrives (up to
        // ~1 s later on a busy machine): timed from here, the session cannot end before the cap.
        var opened = DateTime.UtcNow;
        await using var client = await ConnectAsBrowserAsync(RealtimeUri(), value);
        var sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");

        var (status, reason, events) = await client.WaitForCloseAsync(TimeSpan.FromSeconds(20));
        Assert.InRange(DateTime.UtcNow - opened, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(8));
        var notice = Assert.Single(events, e => e.Type() == "session.limit_reached");
        Assert.Equal("session_duration", notice.Str("limit"));
        Assert.True(notice.GetProperty("session_ends").GetBoolean());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.Equal("session_duration_cap", reason);
        Assert.Equal("session_duration_cap", await new LimitedTenant(platform, platform.Endpoints.DevTenantId, platform.Endpoints.DevApiKey).EndReasonAsync(sessionId));
    }

    [Theory]
    [MemberData(nameof(RealtimeConversationTests.Models), MemberType = typeof(RealtimeConversationTests))]
    public async Task The_spend_cap_ends_the_session_after_the_response_that_crossed_it(string model)
    {
        var value = (await MintAsync(new { session = new { type = "realtime", model }, limits = new { max_spend_usd = "0.000001" } })).Str("value");
        await using var client = await ConnectAsBrowserAsync(RealtimeUri(), value);
        await client.ExpectAsync("session.created", Turn);
        await RealtimeConversationTests.SendUserTextAsync(client, "Hello there");

        var (status, reason, events) = await client.WaitForCloseAsync(TimeSpan.FromSeconds(30));
        var types = events.Select(e => e.Type()).ToList();
        Assert.Equal("completed", events.Single(e => e.Type() == "response.done").GetProperty("response").Str("status"));
        var notice = events.Single(e => e.Type() == "session.limit_reached");
        Assert.Equal("session_spend", notice.Str("limit"));
        Assert.True(types.IndexOf("response.done") < types.IndexOf("session.limit_reached")); // the cost is known once the response is done
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.Equal("session_spend_cap", reason);
    }

    [Fact]
    public async Task Bad_mint_requests_get_openai_style_errors()
    {
        using var http = Http(platform.Endpoints.DevApiKey);
        foreach (var (request, code, param) in new (object, string, string)[]
        {
            (new { expires_after = new { anchor = "created_at", seconds = 5 } }, "invalid_value", "expires_after.seconds"),
            (new { expires_after = new { anchor = "last_used", seconds = 60 } }, "invalid_value", "expires_after.anchor"),
            (new { session = new { type = "realtime", model = "gpt-nonexistent" } }, "model_not_found", "session.model"),
            (new { session = new { type = "transcription" } }, "invalid_value", "session.type"),
            (new { session = new { type = "realtime", audio = new { input = new { format = new { type = "audio/mp3" } } } } }, "invalid_value", "session.audio.input.format.type"),
            (new { limits = new { max_spend_usd = "-1" } }, "invalid_value", "limits.max_spend_usd"),
            (new { limits = new { max_session_duration_seconds = 0 } }, "invalid_value", "limits.max_session_duration_seconds"),
        })
        {
            using var response = await http.PostAsJsonAsync("/v1/realtime/client_secrets", request);
            var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(request)}: {(int)response.StatusCode} {error}");
            Assert.Equal(code, error.Str("code"));
            Assert.StartsWith(param, error.Str("param"));
        }

        using var anonymous = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        using var unauthenticated = await anonymous.PostAsJsonAsync("/v1/realtime/client_secrets", new { });
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }
}
