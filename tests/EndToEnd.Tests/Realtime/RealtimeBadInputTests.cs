using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime;

/// <summary>Bad input gets an OpenAI-style error event carrying the client's event_id, and the session goes on.</summary>
[Collection(PlatformCollection.Name)]
public class RealtimeBadInputTests(EndToEndPlatform platform)
{
    public static TheoryData<string> Models => RealtimeConversationTests.Models;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private async Task<RealtimeTestClient> ConnectAsync(string model)
    {
        var client = await platform.ConnectAsync(model);
        await client.ExpectAsync("session.created", Wait);
        return client;
    }

    public static TheoryData<string, string, string, string?> BadEvents => new()
    {
        // model, raw message, expected code, expected param
        { "gpt-realtime-2", "{\"type\":\"session.update\",\"event_id\":\"e1\",", "invalid_json", null },
        { "gpt-realtime-2", "{\"type\":\"input_audio_buffer.frobnicate\",\"event_id\":\"e2\"}", "invalid_value", "type" },
        { "gpt-realtime-2", "{\"type\":\"conversation.item.delete\",\"event_id\":\"e3\"}", "missing_required_parameter", "item_id" },
        { "gpt-realtime-2", "{\"type\":\"input_audio_buffer.append\",\"event_id\":\"e4\",\"audio\":\"not base64!!\"}", "invalid_value", "audio" },
        { "gpt-realtime-2", "{\"type\":\"input_audio_buffer.append\",\"event_id\":\"e5\",\"audio\":\"" + WavBase64() + "\"}", "invalid_audio_format", "audio" },
        { "gpt-realtime-2", "{\"type\":\"session.update\",\"event_id\":\"e6\",\"session\":{\"type\":\"realtime\",\"audio\":{\"input\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":16000}}}}}", "invalid_value", "session.audio.input.format.rate" },
        { "gpt-realtime-2", "{\"type\":\"conversation.item.truncate\",\"event_id\":\"e7\",\"item_id\":\"x\",\"content_index\":0}", "missing_required_parameter", "audio_end_ms" },
        { "gemini-3.1-flash-live", "{\"type\":\"response.create\",\"event_id\":\"e8\",\"response\":\"now\"}", "invalid_type", "response" },
        { "gemini-3.1-flash-live", "[1,2,3]", "invalid_json", null },
        { "gemini-3.1-flash-live", "{\"type\":\"input_audio_buffer.append\",\"event_id\":\"e9\"}", "missing_required_parameter", "audio" },
        // Issue 14: the platform's own session fields, checked against the GA schema for every provider.
        { "gpt-realtime-2", "{\"type\":\"session.update\",\"event_id\":\"e10\",\"session\":{\"type\":\"realtime\",\"model\":\"gemini-3.1-flash-live\"}}", "invalid_value", "session.model" },
        { "gemini-3.1-flash-live", "{\"type\":\"session.update\",\"event_id\":\"e11\",\"session\":{\"type\":\"realtime\",\"max_output_tokens\":\"infinity\"}}", "invalid_value", "session.max_output_tokens" },
        { "gpt-realtime-2", "{\"type\":\"response.create\",\"event_id\":\"e12\",\"response\":{\"max_output_tokens\":0}}", "invalid_value", "response.max_output_tokens" },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public async Task Bad_event_gets_an_error_with_its_event_id_and_the_session_continues(string model, string raw, string code, string? param)
    {
        await using var client = await ConnectAsync(model);
        await client.SendRawAsync(raw);
        var error = await client.ExpectAsync("error", Wait);
        var body = error.GetProperty("error");
        Assert.Equal(code, body.Str("code"));
        Assert.Equal("invalid_request_error", body.Str("type"));
        if (param is not null) Assert.Equal(param, body.Str("param"));
        var sentId = TryReadEventId(raw);
        if (sentId is not null) Assert.Equal(sentId, body.Str("event_id"));

        await AssertSessionStillWorksAsync(client);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Oversized_message_is_refused_and_the_session_continues(string model)
    {
        await using var client = await ConnectAsync(model);
        var audio = new string('A', EndToEndPlatform.MaxClientMessageBytes + 1024);
        await client.SendRawAsync($"{{\"type\":\"input_audio_buffer.append\",\"event_id\":\"too_big\",\"audio\":\"{audio}\"}}");
        var error = await client.ExpectAsync("error", Wait);
        Assert.Equal("message_too_large", error.GetProperty("error").Str("code"));
        Assert.Equal("too_big", error.GetProperty("error").Str("event_id"));
        await AssertSessionStillWorksAsync(client);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Second_response_create_while_one_is_active_is_an_error_with_its_event_id(string model)
    {
        await using var client = await ConnectAsync(model);
        await client.SendAsync(new
        {
            type = "conversation.item.create",
            item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "Tell me something rather long so that the reply is still streaming when the next request arrives." } } },
        });
        await client.SendAsync(new { type = "response.create" });
        JsonElement e;
        do e = await client.NextAsync(Wait);
        while (e.Type() != "response.created");
        await client.SendAsync(new { type = "response.create", event_id = "second" });

        var events = await client.CollectUntilAsync("response.done", Wait);
        var error = events.SingleOrDefault(x => x.Type() == "error");
        if (error.ValueKind == JsonValueKind.Undefined) error = await client.ExpectAsync("error", Wait);
        Assert.Equal("conversation_already_has_active_response", error.GetProperty("error").Str("code"));
        Assert.Equal("second", error.GetProperty("error").Str("event_id"));
        Assert.Equal("completed", events[^1].GetProperty("response").Str("status"));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Cancel_without_an_active_response_is_an_error(string model)
    {
        await using var client = await ConnectAsync(model);
        await client.SendAsync(new { type = "response.cancel", event_id = "cancel_1" });
        var error = await client.ExpectAsync("error", Wait);
        Assert.Equal("response_cancel_not_active", error.GetProperty("error").Str("code"));
        Assert.Equal("cancel_1", error.GetProperty("error").Str("event_id"));
        await AssertSessionStillWorksAsync(client);
    }

    [Fact]
    public async Task Messages_over_the_rate_limit_are_refused_with_their_event_id()
    {
        await using var client = await ConnectAsync("gpt-realtime-2");
        // Far more than the burst (1,000) at once: the excess is refused; every message gets exactly one error naming it
        // (cancel without a response, or rate_limit_exceeded).
        const int count = 1300;
        for (var i = 0; i < count; i++) await client.SendRawAsync($"{{\"type\":\"response.cancel\",\"event_id\":\"r{i}\"}}");
        var seen = new Dictionary<string, string>();
        while (seen.Count < count)
        {
            var error = (await client.ExpectAsync("error", Wait)).GetProperty("error");
            Assert.True(seen.TryAdd(error.Str("event_id"), error.Str("code")), $"two errors for {error.Str("event_id")}");
        }
        Assert.Contains("rate_limit_exceeded", seen.Values);
        Assert.All(seen.Values, code => Assert.Contains(code, new[] { "rate_limit_exceeded", "response_cancel_not_active" }));
    }

    [Fact]
    public async Task Unknown_model_gets_an_error_event_then_a_close()
    {
        await using var client = await platform.ConnectAsync("gpt-nonexistent");
        var (status, reason, events) = await client.WaitForCloseAsync(Wait);
        var error = Assert.Single(events);
        Assert.Equal("model_not_found", error.GetProperty("error").Str("code"));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("model_not_found", reason);
    }

    [Theory]
    [InlineData("openai/gpt-realtime-2")]
    [InlineData("google/gemini-3.1-flash-live")]
    public async Task Provider_prefixed_model_names_resolve(string model)
    {
        await using var client = await ConnectAsync(model);
        await AssertSessionStillWorksAsync(client);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("vpk_0000000000000000_wrong")]
    public async Task Missing_or_wrong_key_is_401_before_the_upgrade(string? key)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{platform.Endpoints.Gateway}/v1/realtime?model=gpt-realtime-2");
        if (key is not null) request.Headers.Authorization = new("Bearer", key);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_api_key", body.Str("code"));

        using var socket = new ClientWebSocket();
        if (key is not null) socket.Options.SetRequestHeader("Authorization", $"Bearer {key}");
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(platform.RealtimeUri("gpt-realtime-2"), CancellationToken.None));
        Assert.Contains("401", refused.Message);
    }

    [Fact]
    public async Task Browser_subprotocol_key_is_accepted_and_realtime_is_selected()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(platform.RealtimeUri("gpt-realtime-2"), "", options =>
        {
            options.AddSubProtocol("realtime");
            options.AddSubProtocol("openai-insecure-api-key." + platform.Endpoints.DevApiKey);
        });
        Assert.Equal("realtime", client.Socket.SubProtocol);
        await client.ExpectAsync("session.created", Wait);
    }

    private static async Task AssertSessionStillWorksAsync(RealtimeTestClient client)
    {
        await RealtimeConversationTests.SendUserTextAsync(client, "still here");
        var events = await client.CollectUntilAsync("response.done", Wait);
        Assert.Equal("Echo: still here", events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
    }

    private static string? TryReadEventId(string raw)
    {
        try
        {
            using var doc = JsonDocument.Parse(raw);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("event_id", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string WavBase64()
    {
        var wav = new byte[44 + 960];
        "RIFF"u8.CopyTo(wav);
        BitConverter.GetBytes(wav.Length - 8).CopyTo(wav, 4);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        return Convert.ToBase64String(wav);
    }
}
