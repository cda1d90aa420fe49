using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VoicePlatform.TestSupport.Realtime;
using VoicePlatform.TestSupport.Webhooks;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Tools;

/// <summary>
/// A tool's output reaches the client as written: characters JSON allows unescaped (<c>+ &lt; &gt; &amp; '</c>,
/// accented letters, emoji) are not turned into <c>\uXXXX</c> escapes on the way (Tools service, Router, Gateway), and
/// the events still parse.
/// </summary>
[Collection(ToolsPlatformCollection.Name)]
public sealed class ToolOutputEscapingTests(ToolsPlatform platform) : IAsyncLifetime
{
    public static TheoryData<string> Models => new() { "gpt-realtime-2", "gemini-3.1-flash-live" };

    private const string Text = "2+2 <ok> & it's café 😀";
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);
    private LocalWebhookServer _webhooks = null!;

    public async Task InitializeAsync() => _webhooks = await LocalWebhookServer.StartAsync();

    public async Task DisposeAsync() => await _webhooks.DisposeAsync();

    [Theory]
    [MemberData(nameof(Models))]
    public async Task A_plain_text_tool_output_reaches_the_client_without_unicode_escapes(string model)
    {
        var name = $"echo_text_{Guid.NewGuid().ToString("N")[..8]}";
        _webhooks.Handle("/" + name, async (context, _) =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(Text);
        });
        await RegisterAsync(name, _webhooks.Url("/" + name));

        await using var client = await platform.ConnectAsync(model);
        await client.ExpectAsync("session.created", Turn);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", tools = new[] { new { type = "platform", name } } } });
        await client.ExpectAsync("session.updated", Turn);
        await client.SendAsync(new
        {
            type = "conversation.item.create",
            item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = $"call {name} {{\"order_id\":\"A-42\"}}" } } },
        });
        await client.SendAsync(new { type = "response.create" });
        await client.CollectUntilAsync("response.done", Turn);
        var reply = await client.CollectUntilAsync("response.done", Turn);

        var outputs = reply.Where(e => e.Type() is "conversation.item.added" or "conversation.item.done"
            && e.GetProperty("item").Str("type") == "function_call_output").ToList();
        Assert.NotEmpty(outputs);
        foreach (var output in outputs)
        {
            var raw = output.GetRawText();
            Assert.DoesNotContain("\\u", raw, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("2+2 <ok> & it's café 😀", raw);
            // Still JSON: the output is the webhook's text as a JSON string.
            Assert.Equal(Text, JsonSerializer.Deserialize<string>(output.GetProperty("item").Str("output")));
        }
    }

    private async Task RegisterAsync(string name, string url)
    {
        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.DevApiKey);
        var response = await http.PostAsJsonAsync("/v1/tools", new
        {
            name,
            description = "Echoes a text.",
            parameters = new { type = "object", properties = new { order_id = new { type = "string" } } },
            webhook_url = url,
        });
        Assert.True(response.IsSuccessStatusCode, $"POST /v1/tools: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
