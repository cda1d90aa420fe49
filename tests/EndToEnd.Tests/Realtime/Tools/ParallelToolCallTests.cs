using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VoicePlatform.TestSupport.Realtime;
using VoicePlatform.TestSupport.Webhooks;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Tools;

/// <summary>
/// Parallel calls through the whole platform, on each model: the model calls a registered webhook tool twice in one
/// response; both webhook requests are in flight at once, and one spoken reply names both results.
/// </summary>
[Collection(ToolsPlatformCollection.Name)]
public sealed class ParallelToolCallTests(ToolsPlatform platform) : IAsyncLifetime
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);
    private LocalWebhookServer _webhooks = null!;

    public async Task InitializeAsync() => _webhooks = await LocalWebhookServer.StartAsync();

    public async Task DisposeAsync() => await _webhooks.DisposeAsync();

    [Theory]
    [InlineData("gpt-realtime-2")]
    [InlineData("gemini-3.1-flash-live")]
    public async Task Two_calls_in_one_response_run_at_once_and_one_reply_speaks_both_results(string model)
    {
        var name = $"weather_{Guid.NewGuid().ToString("N")[..8]}";
        var path = "/" + name;
        var inFlight = 0;
        var bothInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _webhooks.Handle(path, async (context, received) =>
        {
            if (Interlocked.Increment(ref inFlight) == 2) bothInFlight.TrySetResult();
            // Neither request is answered until both are in flight: sequential execution would never get past this.
            await bothInFlight.Task.WaitAsync(TimeSpan.FromSeconds(10), context.RequestAborted);
            using var body = JsonDocument.Parse(received.Body);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"sky":"clear in {{body.RootElement.GetProperty("arguments").GetProperty("city").GetString()}}"}""");
        });
        await RegisterAsync(name, _webhooks.Url(path));

        await using var client = await platform.ConnectAsync(model);
        await client.ExpectAsync("session.created", Turn);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", tools = new[] { new { type = "platform", name } } } });
        await client.ExpectAsync("session.updated", Turn);
        await client.SendAsync(new
        {
            type = "conversation.item.create",
            item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = $$"""call {{name}} {"city":"Paris"} ; call {{name}} {"city":"Rome"}""" } } },
        });
        await client.SendAsync(new { type = "response.create" });

        var first = await client.CollectUntilAsync("response.done", Turn);
        var calls = first[^1].GetProperty("response").GetProperty("output").EnumerateArray().Where(i => i.Str("type") == "function_call").ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal("platform", c.Str("executed_by")));

        var reply = await client.CollectUntilAsync("response.done", Turn);
        Assert.True(bothInFlight.Task.IsCompletedSuccessfully, "both webhook requests were in flight at once");
        Assert.Equal(2, _webhooks.Received(path).Count);
        Assert.Equal(calls.Select(c => c.Str("call_id")).Order(),
            reply.Where(e => e.Type() == "conversation.item.done" && e.GetProperty("item").Str("type") == "function_call_output")
                .Select(e => e.GetProperty("item").Str("call_id")).Order());
        Assert.Single(reply, e => e.Type() == "response.created");
        var transcript = reply.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript");
        Assert.Equal($$"""Tool {{name}} returned: {"sky":"clear in Paris"}; Tool {{name}} returned: {"sky":"clear in Rome"}""", transcript);
        Assert.DoesNotContain(reply, e => e.Type() == "error");
    }

    private async Task RegisterAsync(string name, string url)
    {
        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.DevApiKey);
        var response = await http.PostAsJsonAsync("/v1/tools", new
        {
            name,
            description = "Weather for a city.",
            parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } },
            webhook_url = url,
            timeout_ms = 15000,
        });
        Assert.True(response.IsSuccessStatusCode, $"POST /v1/tools: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
