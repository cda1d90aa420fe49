using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using VoicePlatform.TestSupport.Realtime;
using VoicePlatform.TestSupport.Webhooks;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Tools;

/// <summary>
/// Server-side tools inside a live session, on each model: a registered webhook tool named in session.update is
/// called by the platform (signed request) and its result is spoken; a built-in works the same way; client-declared
/// tools still go to the client; barge-in aborts a slow webhook; end_session closes the session normally after the reply.
/// </summary>
[Collection(ToolsPlatformCollection.Name)]
public sealed class ServerToolSessionTests(ToolsPlatform platform) : IAsyncLifetime
{
    public static TheoryData<string> Models => new() { "gpt-realtime-2", "gemini-3.1-flash-live" };

    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);
    private LocalWebhookServer _webhooks = null!;

    public async Task InitializeAsync() => _webhooks = await LocalWebhookServer.StartAsync();

    public async Task DisposeAsync() => await _webhooks.DisposeAsync();

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Registered_webhook_tool_is_called_by_the_platform_and_its_result_is_spoken(string model)
    {
        var name = UniqueName("lookup_order");
        var path = "/" + name;
        _webhooks.RespondJson(path, """{"status":"shipped","eta_days":2}""");
        var secret = await RegisterAsync(name, _webhooks.Url(path));

        await using var client = await ConnectAsync(model);
        var updated = await ConfigureAsync(client, Platform(name), ClientFunction("get_weather"));
        var toolNames = updated.GetProperty("session").GetProperty("tools").EnumerateArray().Select(t => t.Str("name")).ToList();
        Assert.Contains(name, toolNames);
        Assert.Contains("get_weather", toolNames);

        await SendUserTextAsync(client, $"call {name} {{\"order_id\":\"A-42\"}}");
        var first = await client.CollectUntilAsync("response.done", Turn);
        var call = first[^1].GetProperty("response").GetProperty("output").EnumerateArray().Single(i => i.Str("type") == "function_call");
        Assert.Equal(name, call.Str("name"));
        Assert.Equal("platform", call.Str("executed_by"));
        Assert.Contains(first, e => e.Type() == "response.output_item.done" && e.GetProperty("item").Str("type") == "function_call"
            && e.GetProperty("item").Str("executed_by") == "platform");

        // The platform answers the call; the client sees the output item and then the spoken result.
        var reply = await client.CollectUntilAsync("response.done", Turn);
        Assert.Contains(reply, e => e.Type() == "conversation.item.done" && e.GetProperty("item").Str("type") == "function_call_output"
            && e.GetProperty("item").Str("call_id") == call.Str("call_id") && e.GetProperty("item").Str("executed_by") == "platform");
        var transcript = reply.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript");
        Assert.StartsWith($"Tool {name} returned:", transcript);
        Assert.Contains("shipped", transcript);

        var received = Assert.Single(_webhooks.Received(path));
        Assert.True(WebhookSignature.IsValid(secret, Header(received, "X-VoicePlatform-Timestamp"), Header(received, "X-VoicePlatform-Signature"), received.Body),
            "webhook signature verifies with the secret returned at creation");
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal(call.Str("call_id"), body.RootElement.Str("call_id"));
        Assert.Equal("A-42", body.RootElement.GetProperty("arguments").Str("order_id"));
        Assert.Equal(platform.Endpoints.DevTenantId, body.RootElement.Str("tenant_id"));

        // A client-declared tool in the same session is still the client's to answer.
        await SendUserTextAsync(client, "call get_weather {\"city\":\"Paris\"}");
        var clientCall = await client.CollectUntilAsync("response.done", Turn);
        var weather = clientCall[^1].GetProperty("response").GetProperty("output").EnumerateArray().Single(i => i.Str("type") == "function_call");
        Assert.Equal("get_weather", weather.Str("name"));
        Assert.False(weather.TryGetProperty("executed_by", out _));
        // Nobody answers it for the client: no output, no new response.
        var after = await DrainAsync(client, TimeSpan.FromSeconds(1.5));
        Assert.DoesNotContain(after, e => e.Type() is "response.created" or "conversation.item.added");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Built_in_get_current_time_is_run_by_the_platform(string model)
    {
        await using var client = await ConnectAsync(model);
        await ConfigureAsync(client, Platform("get_current_time"));
        await SendUserTextAsync(client, "call get_current_time {\"timezone\":\"Europe/Paris\"}");
        var first = await client.CollectUntilAsync("response.done", Turn);
        Assert.Equal("platform", first[^1].GetProperty("response").GetProperty("output").EnumerateArray()
            .Single(i => i.Str("type") == "function_call").Str("executed_by"));
        var reply = await client.CollectUntilAsync("response.done", Turn);
        var transcript = reply.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript");
        Assert.StartsWith("Tool get_current_time returned:", transcript);
        Assert.Contains("Europe/Paris", transcript);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Unknown_platform_tool_is_an_error_and_the_rest_of_the_update_applies(string model)
    {
        await using var client = await ConnectAsync(model);
        await client.SendAsync(new
        {
            type = "session.update",
            event_id = "evt_tools",
            session = new { type = "realtime", instructions = "Be brief.", tools = new object[] { Platform("no_such_tool"), ClientFunction("get_weather") } },
        });
        var error = await client.ExpectAsync("error", Turn);
        Assert.Equal("invalid_value", error.GetProperty("error").Str("code"));
        Assert.Equal("session.tools", error.GetProperty("error").Str("param"));
        Assert.Equal("evt_tools", error.GetProperty("error").Str("event_id"));
        var updated = await client.ExpectAsync("session.updated", Turn);
        Assert.Equal("Be brief.", updated.GetProperty("session").Str("instructions"));
        Assert.Equal(["get_weather"], updated.GetProperty("session").GetProperty("tools").EnumerateArray().Select(t => t.Str("name")));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Barge_in_aborts_a_slow_webhook_and_no_output_is_sent(string model)
    {
        var name = UniqueName("slow_lookup");
        var path = "/" + name;
        _webhooks.Handle(path, async (context, _) => await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        await RegisterAsync(name, _webhooks.Url(path), timeoutMs: 40000);

        await using var client = await ConnectAsync(model);
        await ConfigureAsync(client, Platform(name));
        await SendUserTextAsync(client, $"call {name} {{\"order_id\":\"A-1\"}}");
        var first = await client.CollectUntilAsync("response.done", Turn);
        var callId = first[^1].GetProperty("response").GetProperty("output").EnumerateArray().Single(i => i.Str("type") == "function_call").Str("call_id");
        var received = await WaitForWebhookAsync(path);

        // The user says something new while the webhook is still running.
        await SendUserTextAsync(client, "never mind");
        await received.Aborted.WaitAsync(TimeSpan.FromSeconds(10));

        var events = await client.CollectUntilAsync("response.done", Turn);
        events.AddRange(await DrainAsync(client, TimeSpan.FromSeconds(2)));
        Assert.DoesNotContain(events, e => e.Type() is "conversation.item.added" or "conversation.item.done"
            && e.GetProperty("item").Str("type") == "function_call_output" && e.GetProperty("item").Str("call_id") == callId);
        Assert.DoesNotContain(events, e => e.Type() == "response.output_audio_transcript.done" && e.Str("transcript").StartsWith("Tool "));
        Assert.DoesNotContain(events, e => e.Type() == "error");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task End_session_ends_the_session_normally_after_the_reply(string model)
    {
        await using var client = await ConnectAsync(model);
        await ConfigureAsync(client, Platform("end_session"));
        await SendUserTextAsync(client, "call end_session {\"reason\":\"user said goodbye\"}");
        await client.CollectUntilAsync("response.done", Turn);

        var (status, _, events) = await client.WaitForCloseAsync(Turn);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        var transcript = events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript");
        Assert.StartsWith("Tool end_session returned:", transcript);
        Assert.Equal("response.done", events[^1].Type());
        Assert.DoesNotContain(events, e => e.Type() == "error");
    }

    // ---------------------------------------------------------------- helpers

    private static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid().ToString("N")[..8]}";

    private static object Platform(string name) => new { type = "platform", name };

    private static object ClientFunction(string name) => new
    {
        type = "function", name, description = "Weather for a city",
        parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } },
    };

    private static string? Header(ReceivedWebhook received, string name) => received.Headers.TryGetValue(name, out var value) ? value : null;

    private async Task<string> RegisterAsync(string name, string url, int timeoutMs = 5000)
    {
        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.DevApiKey);
        var response = await http.PostAsJsonAsync("/v1/tools", new
        {
            name,
            description = "Looks up an order by its id.",
            parameters = new { type = "object", properties = new { order_id = new { type = "string" } }, required = new[] { "order_id" } },
            webhook_url = url,
            timeout_ms = timeoutMs,
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /v1/tools: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Str("signing_secret");
    }

    private async Task<RealtimeTestClient> ConnectAsync(string model)
    {
        var client = await platform.ConnectAsync(model);
        await client.ExpectAsync("session.created", Turn);
        return client;
    }

    private static async Task<JsonElement> ConfigureAsync(RealtimeTestClient client, params object[] tools)
    {
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", tools } });
        return await client.ExpectAsync("session.updated", Turn);
    }

    private static async Task SendUserTextAsync(RealtimeTestClient client, string text)
    {
        await client.SendAsync(new
        {
            type = "conversation.item.create",
            item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } },
        });
        await client.SendAsync(new { type = "response.create" });
    }

    private async Task<ReceivedWebhook> WaitForWebhookAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_webhooks.Received(path) is [var first, ..]) return first;
            await Task.Delay(50);
        }
        throw new TimeoutException($"The webhook {path} was never called.");
    }

    private static async Task<List<JsonElement>> DrainAsync(RealtimeTestClient client, TimeSpan quiet)
    {
        var events = new List<JsonElement>();
        try
        {
            while (true) events.Add(await client.NextAsync(quiet));
        }
        catch (OperationCanceledException)
        {
        }
        return events;
    }
}
