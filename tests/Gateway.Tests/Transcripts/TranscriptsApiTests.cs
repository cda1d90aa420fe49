using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace VoicePlatform.Gateway.Tests.Transcripts;

[Collection(TranscriptsServiceCollection.Name)]
public class TranscriptsApiTests(TranscriptsApiTestContext context)
{
    private static readonly DateTimeOffset Recent = DateTimeOffset.UtcNow.AddHours(-3);

    private const string ExpectedText = """
        user: What's the status of my refund?
        assistant: Your refund was issued on Monday and [interrupted]
        user: Wait, which card?
        assistant: The card ending in 4242 <Visa> & co.

        """;

    private const string ExpectedVtt = """
        WEBVTT

        1
        00:00:01.200 --> 00:00:03.450
        <v user>What's the status of my refund?

        2
        00:00:04.000 --> 00:00:06.010
        <v assistant>Your refund was issued on Monday and [interrupted]

        3
        00:00:05.900 --> 00:00:07.000
        <v user>Wait, which card?

        4
        00:00:07.500 --> 01:02:05.001
        <v assistant>The card ending in 4242 &lt;Visa&gt; &amp; co.

        """;

    [Fact]
    public async Task Session_metadata_and_the_json_transcript_with_the_truncation_flag()
    {
        var (tenant, client) = await context.NewTenantAsync();
        using var _ = client;
        var session = await RecordedSession.PublishConversationAsync(context.Bus, client, tenant, Recent, arm: "arm-a",
            route: "support-voice", experimentId: "exp_0123456789abcdef01234567");

        var meta = await client.GetFromJsonAsync<JsonElement>($"/v1/sessions/{session}");
        Assert.Equal("session", meta.GetProperty("object").GetString());
        Assert.Equal(session, meta.GetProperty("id").GetString());
        Assert.Equal("gpt-realtime-2", meta.GetProperty("model").GetString());
        Assert.Equal("openai", meta.GetProperty("provider").GetString());
        Assert.Equal("support-voice", meta.GetProperty("route").GetString());
        Assert.Equal("exp_0123456789abcdef01234567", meta.GetProperty("experiment_id").GetString());
        Assert.Equal("arm-a", meta.GetProperty("experiment_arm").GetString());
        Assert.Equal("openai-realtime", meta.GetProperty("client_protocol").GetString());
        Assert.Equal(Recent.ToUnixTimeSeconds(), meta.GetProperty("started_at").GetInt64());
        Assert.Equal(Recent.AddMinutes(62).ToUnixTimeSeconds(), meta.GetProperty("ended_at").GetInt64());
        Assert.Equal(3_720_000, meta.GetProperty("duration_ms").GetInt64());
        Assert.Equal("client_closed", meta.GetProperty("end_reason").GetString());

        var transcript = await client.GetFromJsonAsync<JsonElement>($"/v1/sessions/{session}/transcript");
        Assert.Equal("transcript", transcript.GetProperty("object").GetString());
        var segments = transcript.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(["user", "assistant", "user", "assistant"], segments.Select(s => s.GetProperty("role").GetString()));
        Assert.Equal([false, true, false, false], segments.Select(s => s.GetProperty("truncated").GetBoolean()));
        Assert.Equal("Your refund was issued on Monday and", segments[1].GetProperty("text").GetString());
        Assert.Equal(4_000, segments[1].GetProperty("start_ms").GetInt64());
        Assert.Equal(6_010, segments[1].GetProperty("end_ms").GetInt64());
        Assert.Equal("item_4000", segments[1].GetProperty("item_id").GetString());
    }

    [Fact]
    public async Task Transcript_as_plain_text_and_webvtt_by_format_or_accept_header()
    {
        var (tenant, client) = await context.NewTenantAsync();
        using var _ = client;
        var session = await RecordedSession.PublishConversationAsync(context.Bus, client, tenant, Recent);

        await AssertBodyAsync(await client.GetAsync($"/v1/sessions/{session}/transcript?format=text"), "text/plain", ExpectedText);
        await AssertBodyAsync(await client.GetAsync($"/v1/sessions/{session}/transcript?format=vtt"), "text/vtt", ExpectedVtt);
        await AssertBodyAsync(await SendAsync(client, $"/v1/sessions/{session}/transcript", "text/vtt"), "text/vtt", ExpectedVtt);
        await AssertBodyAsync(await SendAsync(client, $"/v1/sessions/{session}/transcript", "text/plain"), "text/plain", ExpectedText);
        // format= wins over Accept.
        using var json = await SendAsync(client, $"/v1/sessions/{session}/transcript?format=json", "text/vtt");
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);

        await AssertErrorAsync(await client.GetAsync($"/v1/sessions/{session}/transcript?format=srt"), HttpStatusCode.BadRequest, "invalid_value", "format");
    }

    [Fact]
    public async Task Sessions_are_listed_with_filters_and_cursor_pagination()
    {
        var (tenant, client) = await context.NewTenantAsync();
        using var _ = client;
        var a = await RecordedSession.PublishConversationAsync(context.Bus, client, tenant, Recent.AddMinutes(-30), arm: "control",
            route: "support-voice", experimentId: "exp_one");
        var b = await RecordedSession.PublishConversationAsync(context.Bus, client, tenant, Recent.AddMinutes(-20), "gemini-3.1-flash-live", "google", "treatment", "timeout",
            route: "support-voice", experimentId: "exp_one");
        var c = await RecordedSession.PublishConversationAsync(context.Bus, client, tenant, Recent.AddMinutes(-10), arm: "treatment",
            route: "sales-voice", experimentId: "exp_two");

        Assert.Equal([c, b, a], await IdsAsync(client, "/v1/sessions"));
        Assert.Equal([c, a], await IdsAsync(client, "/v1/sessions?model=gpt-realtime-2"));
        Assert.Equal([b], await IdsAsync(client, "/v1/sessions?provider=google"));
        Assert.Equal([b], await IdsAsync(client, "/v1/sessions?end_reason=timeout"));
        Assert.Equal([c, b], await IdsAsync(client, "/v1/sessions?arm=treatment"));
        Assert.Equal([b, a], await IdsAsync(client, "/v1/sessions?experiment=exp_one"));
        Assert.Equal([b], await IdsAsync(client, "/v1/sessions?experiment=exp_one&arm=treatment"));
        Assert.Equal([c], await IdsAsync(client, "/v1/sessions?route=sales-voice"));
        var from = Uri.EscapeDataString(Recent.AddMinutes(-25).ToString("O"));
        Assert.Equal([b], await IdsAsync(client, $"/v1/sessions?from={from}&to={Recent.AddMinutes(-15).ToUnixTimeSeconds()}"));

        var first = await client.GetFromJsonAsync<JsonElement>("/v1/sessions?limit=2");
        Assert.Equal("list", first.GetProperty("object").GetString());
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal([c, b], first.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var cursor = Uri.EscapeDataString(first.GetProperty("next_cursor").GetString()!);
        var second = await client.GetFromJsonAsync<JsonElement>($"/v1/sessions?limit=2&cursor={cursor}");
        Assert.Equal([a], second.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.False(second.GetProperty("has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);

        await AssertErrorAsync(await client.GetAsync("/v1/sessions?limit=0"), HttpStatusCode.BadRequest, "invalid_value", "limit");
        await AssertErrorAsync(await client.GetAsync("/v1/sessions?limit=abc"), HttpStatusCode.BadRequest, "invalid_value", "limit");
        await AssertErrorAsync(await client.GetAsync("/v1/sessions?from=yesterday"), HttpStatusCode.BadRequest, "invalid_value", "from");
        await AssertErrorAsync(await client.GetAsync("/v1/sessions?cursor=garbage!"), HttpStatusCode.BadRequest, "invalid_value", null);
    }

    [Fact]
    public async Task Search_finds_a_phrase_with_a_highlighted_snippet_within_the_tenant_only()
    {
        var (tenant, client) = await context.NewTenantAsync();
        var (_, other) = await context.NewTenantAsync("Other");
        using var __ = client;
        using var ___ = other;
        var session = await RecordedSession.PublishConversationAsync(context.Bus, client, tenant, Recent);

        var results = await client.GetFromJsonAsync<JsonElement>($"/v1/transcripts/search?q={Uri.EscapeDataString("\"refund was issued\"")}");
        var hit = Assert.Single(results.GetProperty("data").EnumerateArray());
        Assert.Equal(session, hit.GetProperty("session_id").GetString());
        Assert.Equal("assistant", hit.GetProperty("role").GetString());
        Assert.True(hit.GetProperty("truncated").GetBoolean());
        Assert.Equal(4_000, hit.GetProperty("start_ms").GetInt64());
        Assert.Equal(6_010, hit.GetProperty("end_ms").GetInt64());
        Assert.Contains("Your <mark>refund</mark> was <mark>issued</mark>", hit.GetProperty("snippet").GetString());
        var transcript = await client.GetFromJsonAsync<JsonElement>($"/v1/sessions/{session}/transcript");
        Assert.Equal(transcript.GetProperty("segments")[1].GetProperty("id").GetString(), hit.GetProperty("segment_id").GetString());

        var elsewhere = await other.GetFromJsonAsync<JsonElement>("/v1/transcripts/search?q=refund");
        Assert.Empty(elsewhere.GetProperty("data").EnumerateArray());
        await AssertErrorAsync(await client.GetAsync("/v1/transcripts/search"), HttpStatusCode.BadRequest, "invalid_value", "q");
    }

    [Fact]
    public async Task Retention_settings_default_then_set_per_tenant()
    {
        var (_, client) = await context.NewTenantAsync();
        var (_, other) = await context.NewTenantAsync("Other");
        using var __ = client;
        using var ___ = other;

        var initial = await client.GetFromJsonAsync<JsonElement>("/v1/transcripts/settings");
        Assert.Equal("transcript_settings", initial.GetProperty("object").GetString());
        Assert.Equal(90, initial.GetProperty("retention_days").GetInt32());
        Assert.True(initial.GetProperty("is_default").GetBoolean());

        using var set = await client.PutAsJsonAsync("/v1/transcripts/settings", new { retention_days = 30 });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var after = await client.GetFromJsonAsync<JsonElement>("/v1/transcripts/settings");
        Assert.Equal(30, after.GetProperty("retention_days").GetInt32());
        Assert.False(after.GetProperty("is_default").GetBoolean());
        Assert.Equal(90, (await other.GetFromJsonAsync<JsonElement>("/v1/transcripts/settings")).GetProperty("retention_days").GetInt32());

        await AssertErrorAsync(await client.PutAsJsonAsync("/v1/transcripts/settings", new { retention_days = 0 }), HttpStatusCode.BadRequest, "invalid_value", "retention_days");
        await AssertErrorAsync(await client.PutAsJsonAsync("/v1/transcripts/settings", new { }), HttpStatusCode.BadRequest, "invalid_value", "retention_days");
        await AssertErrorAsync(await client.PutAsync("/v1/transcripts/settings", new StringContent("{", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "invalid_json", null);
    }

    public static TheoryData<string> SessionEndpoints => new()
    {
        "/v1/sessions/{id}",
        "/v1/sessions/{id}/transcript",
        "/v1/sessions/{id}/transcript?format=text",
        "/v1/sessions/{id}/transcript?format=vtt",
    };

    [Theory]
    [MemberData(nameof(SessionEndpoints))]
    public async Task Another_tenants_session_is_a_404_like_a_missing_one(string endpoint)
    {
        var (owner, ownerClient) = await context.NewTenantAsync("Owner");
        var (_, stranger) = await context.NewTenantAsync("Stranger");
        using var __ = ownerClient;
        using var ___ = stranger;
        var session = await RecordedSession.PublishConversationAsync(context.Bus, ownerClient, owner, Recent);

        using (var own = await ownerClient.GetAsync(endpoint.Replace("{id}", session)))
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var foreign = await AssertErrorAsync(await stranger.GetAsync(endpoint.Replace("{id}", session)), HttpStatusCode.NotFound, "session_not_found", "id");
        var missing = await AssertErrorAsync(await stranger.GetAsync(endpoint.Replace("{id}", "sess_does_not_exist")), HttpStatusCode.NotFound, "session_not_found", "id");
        Assert.Equal(missing.GetProperty("message").GetString()!.Replace("sess_does_not_exist", session), foreign.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Another_tenants_sessions_are_absent_from_listings_and_search()
    {
        var (owner, ownerClient) = await context.NewTenantAsync("Owner");
        var (_, stranger) = await context.NewTenantAsync("Stranger");
        using var __ = ownerClient;
        using var ___ = stranger;
        var session = await RecordedSession.PublishConversationAsync(context.Bus, ownerClient, owner, Recent);

        Assert.Equal([session], await IdsAsync(ownerClient, "/v1/sessions"));
        Assert.Empty(await IdsAsync(stranger, "/v1/sessions"));
        Assert.Empty((await stranger.GetFromJsonAsync<JsonElement>("/v1/transcripts/search?q=card")).GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("/v1/sessions")]
    [InlineData("/v1/sessions/sess_x")]
    [InlineData("/v1/sessions/sess_x/transcript")]
    [InlineData("/v1/transcripts/search?q=x")]
    [InlineData("/v1/transcripts/settings")]
    public async Task Every_endpoint_needs_a_tenant_key(string endpoint)
    {
        using var anonymous = context.Gateway.CreateClient();
        await AssertErrorAsync(await anonymous.GetAsync(endpoint), HttpStatusCode.Unauthorized, "invalid_api_key", null);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_transcripts_api()
    {
        using var anonymous = context.Gateway.CreateClient();
        var paths = (await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");
        foreach (var path in new[] { "/v1/sessions", "/v1/sessions/{id}", "/v1/sessions/{id}/transcript", "/v1/transcripts/search", "/v1/transcripts/settings" })
            Assert.True(paths.TryGetProperty(path, out var operations) && operations.TryGetProperty("get", out _), path);
        Assert.True(paths.GetProperty("/v1/transcripts/settings").TryGetProperty("put", out var put));
        Assert.Contains("TranscriptSettingsRequest", put.GetProperty("requestBody").ToString());
        Assert.Contains("SessionListResponse", paths.GetProperty("/v1/sessions").GetProperty("get").GetProperty("responses").GetProperty("200").ToString());
    }

    private static async Task<string[]> IdsAsync(HttpClient client, string path) =>
        [.. (await client.GetFromJsonAsync<JsonElement>(path)).GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return client.SendAsync(request);
    }

    private static async Task AssertBodyAsync(HttpResponseMessage response, string mediaType, string expected)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(expected.ReplaceLineEndings("\n"), await response.Content.ReadAsStringAsync());
        }
    }

    private static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? param)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
            var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
            Assert.Equal(code, error.GetProperty("code").GetString());
            if (param is not null) Assert.Equal(param, error.GetProperty("param").GetString());
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
            return error;
        }
    }
}
