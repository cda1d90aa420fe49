using VoicePlatform.TestSupport.Realtime;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

public sealed class ToolCallTests(DefaultEmulator emulator) : IClassFixture<DefaultEmulator>
{
    private static readonly object WeatherTool = new
    {
        type = "function",
        name = "get_weather",
        description = "Current weather for a city.",
        parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } },
    };

    private static object UserText(string text) => new
    {
        type = "conversation.item.create",
        item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } },
    };

    [Fact]
    public async Task Function_call_round_trip()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", tools = new[] { WeatherTool }, tool_choice = "auto" } });
        var tools = (await client.ExpectAsync("session.updated")).GetProperty("session").GetProperty("tools");
        Assert.Equal("get_weather", tools[0].Str("name"));

        const string args = "{\"city\":\"Paris\",\"unit\":\"celsius\"}";
        await client.SendAsync(UserText("call get_weather " + args));
        await client.SendAsync(new { type = "response.create" });
        var events = await client.CollectUntilAsync("response.done");

        var added = events.Single(e => e.Type() == "response.output_item.added").GetProperty("item");
        Assert.Equal("function_call", added.Str("type"));
        Assert.Equal("in_progress", added.Str("status"));
        Assert.Equal("", added.Str("arguments"));
        var callId = added.Str("call_id");
        Assert.StartsWith("call_", callId);

        var deltas = events.Where(e => e.Type() == "response.function_call_arguments.delta").ToList();
        Assert.True(deltas.Count > 1);
        Assert.All(deltas, d => Assert.Equal(callId, d.Str("call_id")));
        Assert.Equal(args, string.Concat(deltas.Select(d => d.Str("delta"))));
        var argsDone = events.Single(e => e.Type() == "response.function_call_arguments.done");
        Assert.Equal("get_weather", argsDone.Str("name"));
        Assert.Equal(args, argsDone.Str("arguments"));

        var order = events.Select(e => e.Type()).Where(t => !t.EndsWith(".delta", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "conversation.item.added", "conversation.item.done", "response.created", "response.output_item.added",
            "conversation.item.added", "response.function_call_arguments.done", "response.output_item.done",
            "conversation.item.done", "response.done",
        ], order);
        Assert.DoesNotContain(events, e => e.Type().StartsWith("response.output_audio", StringComparison.Ordinal));
        var response = events[^1].GetProperty("response");
        Assert.Equal("completed", response.Str("status"));
        Assert.Equal("function_call", response.GetProperty("output")[0].Str("type"));
        await client.ExpectAsync("rate_limits.updated");

        // The output alone must not trigger a reply (protocol §7).
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "function_call_output", call_id = callId, output = "{\"temp\":21}" } });
        var outputAdded = await client.ExpectAsync("conversation.item.added");
        Assert.Equal("function_call_output", outputAdded.GetProperty("item").Str("type"));
        await client.ExpectAsync("conversation.item.done");
        await client.ExpectSilenceAsync(TimeSpan.FromMilliseconds(300));

        await client.SendAsync(new { type = "response.create" });
        var reply = (await client.CollectUntilAsync("response.done"))[^1];
        Assert.Equal("Tool get_weather returned: {\"temp\":21}",
            reply.GetProperty("response").GetProperty("output")[0].GetProperty("content")[0].Str("transcript"));
    }

    [Fact]
    public async Task Unknown_call_id_is_rejected()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(new { type = "conversation.item.create", event_id = "out1", item = new { type = "function_call_output", call_id = "call_nope", output = "x" } });
        var error = (await client.ExpectAsync("error")).GetProperty("error");
        Assert.Equal("Tool call ID 'call_nope' not found in conversation.", error.Str("message"));
        Assert.Equal("out1", error.Str("event_id"));
    }

    [Fact]
    public async Task Call_command_without_declared_tool_is_just_echoed()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(UserText("call get_weather {}"));
        await client.SendAsync(new { type = "response.create" });
        var done = (await client.CollectUntilAsync("response.done"))[^1];
        Assert.Equal("message", done.GetProperty("response").GetProperty("output")[0].Str("type"));
    }

    [Fact]
    public async Task Tool_choice_none_suppresses_calls_and_response_tools_override_the_session()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(UserText("call get_weather {\"city\":\"Oslo\"}"));
        await client.SendAsync(new { type = "response.create", response = new { tools = new[] { WeatherTool }, tool_choice = "none" } });
        var done = (await client.CollectUntilAsync("response.done"))[^1];
        Assert.Equal("message", done.GetProperty("response").GetProperty("output")[0].Str("type"));
        await client.ExpectAsync("rate_limits.updated");

        await client.SendAsync(new { type = "response.create", response = new { tools = new[] { WeatherTool } } });
        done = (await client.CollectUntilAsync("response.done"))[^1];
        Assert.Equal("function_call", done.GetProperty("response").GetProperty("output")[0].Str("type"));
    }
}
