using VoicePlatform.TestSupport.Realtime;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

/// <summary>Parallel function calls: <c>call a {…} ; call b {…}</c> → several function_call items in one response.</summary>
public sealed class ParallelToolCallTests(DefaultEmulator emulator) : IClassFixture<DefaultEmulator>
{
    private static object Tool(string name) => new
    {
        type = "function",
        name,
        description = "Test tool " + name,
        parameters = new { type = "object", properties = new { city = new { type = "string" } } },
    };

    private static object UserText(string text) => new
    {
        type = "conversation.item.create",
        item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } },
    };

    private static object Output(string callId, string output) => new
    {
        type = "conversation.item.create",
        item = new { type = "function_call_output", call_id = callId, output },
    };

    [Fact]
    public async Task Several_commands_make_one_response_with_a_call_each_and_the_reply_names_every_result()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", tools = new[] { Tool("lookup"), Tool("weather") } } });
        await client.ExpectAsync("session.updated");

        await client.SendAsync(UserText("""call lookup {"city":"Paris"} ; call weather {"city":"Rome"} ; call lookup"""));
        await client.SendAsync(new { type = "response.create" });
        var events = await client.CollectUntilAsync("response.done");

        Assert.Single(events, e => e.Type() == "response.created");
        var output = events[^1].GetProperty("response").GetProperty("output").EnumerateArray().ToList();
        Assert.Equal(["function_call", "function_call", "function_call"], output.Select(i => i.Str("type")));
        Assert.Equal(["lookup", "weather", "lookup"], output.Select(i => i.Str("name")));
        Assert.Equal(["""{"city":"Paris"}""", """{"city":"Rome"}""", "{}"], output.Select(i => i.Str("arguments")));
        var callIds = output.Select(i => i.Str("call_id")!).ToList();
        Assert.Equal(3, callIds.Distinct().Count());

        // Each item streams on its own output_index, one after the other.
        var added = events.Where(e => e.Type() == "response.output_item.added").ToList();
        Assert.Equal([0, 1, 2], added.Select(e => e.GetProperty("output_index").GetInt32()));
        var argsDone = events.Where(e => e.Type() == "response.function_call_arguments.done").ToList();
        Assert.Equal(callIds, argsDone.Select(e => e.Str("call_id")));
        Assert.Equal([0, 1, 2], argsDone.Select(e => e.GetProperty("output_index").GetInt32()));
        await client.ExpectAsync("rate_limits.updated");

        // Outputs in another order than the calls: the reply still follows the calls' order.
        await client.SendAsync(Output(callIds[1], "sunny"));
        await client.SendAsync(Output(callIds[0], """{"found":true}"""));
        await client.SendAsync(Output(callIds[2], "none"));
        for (var i = 0; i < 3; i++)
        {
            await client.CollectUntilAsync("conversation.item.done");
        }
        await client.SendAsync(new { type = "response.create" });
        var reply = (await client.CollectUntilAsync("response.done"))[^1];
        Assert.Equal("""Tool lookup returned: {"found":true}; Tool weather returned: sunny; Tool lookup returned: none""",
            reply.GetProperty("response").GetProperty("output")[0].GetProperty("content")[0].Str("transcript"));
    }

    [Fact]
    public async Task A_reply_to_some_of_the_outputs_names_only_those()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", tools = new[] { Tool("lookup") } } });
        await client.ExpectAsync("session.updated");
        await client.SendAsync(UserText("""call lookup {"city":"Paris"} ; call lookup {"city":"Rome"}"""));
        await client.SendAsync(new { type = "response.create" });
        var output = (await client.CollectUntilAsync("response.done"))[^1].GetProperty("response").GetProperty("output");
        await client.ExpectAsync("rate_limits.updated");

        await client.SendAsync(Output(output[1].Str("call_id")!, "rome"));
        await client.CollectUntilAsync("conversation.item.done");
        await client.SendAsync(new { type = "response.create" });
        var reply = (await client.CollectUntilAsync("response.done"))[^1];
        Assert.Equal("Tool lookup returned: rome",
            reply.GetProperty("response").GetProperty("output")[0].GetProperty("content")[0].Str("transcript"));
    }

    [Theory]
    [InlineData("""call lookup {"city":"Paris"} ; call nope {}""")] // one command names an undeclared tool
    [InlineData("""call lookup {"city":"Paris"} ; hello""")] // one part is no command at all
    public async Task A_part_that_is_not_a_declared_call_makes_it_one_command(string text)
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", tools = new[] { Tool("lookup") } } });
        await client.ExpectAsync("session.updated");
        await client.SendAsync(UserText(text));
        await client.SendAsync(new { type = "response.create" });
        var output = (await client.CollectUntilAsync("response.done"))[^1].GetProperty("response").GetProperty("output");

        // As before parallel calls: one call of lookup whose arguments are the rest of the text.
        var call = Assert.Single(output.EnumerateArray());
        Assert.Equal("function_call", call.Str("type"));
        Assert.Equal(text["call lookup ".Length..], call.Str("arguments"));
    }
}
