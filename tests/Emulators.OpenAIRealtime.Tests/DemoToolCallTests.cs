using VoicePlatform.TestSupport.Realtime;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

/// <summary>The documented demo behaviour: a natural sentence naming a declared tool calls it, and the reply speaks its output.</summary>
public sealed class DemoToolCallTests(DefaultEmulator emulator) : IClassFixture<DefaultEmulator>
{
    private static readonly object WeatherTool = new
    {
        type = "function",
        name = "get_weather",
        description = "Current weather for a city.",
        parameters = new { type = "object", properties = new { city = new { type = "string" }, days = new { type = "integer" } }, required = new[] { "city" } },
    };

    private static readonly object OrderTool = new
    {
        type = "function",
        name = "lookupOrderStatus",
        description = "Where a customer's parcel is.",
        parameters = new { type = "object", properties = new { order_id = new { type = "string" } } },
    };

    private static object UserText(string text) => new
    {
        type = "conversation.item.create",
        item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } },
    };

    private static async Task<RealtimeTestClient> ConnectWithToolsAsync(EmulatorHost host, string toolChoice = "auto")
    {
        var client = await RealtimeTestClient.ConnectReadyAsync(host);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", output_modalities = new[] { "text" }, tools = new[] { OrderTool, WeatherTool }, tool_choice = toolChoice } });
        await client.ExpectAsync("session.updated");
        return client;
    }

    [Fact]
    public async Task A_sentence_naming_a_tool_calls_it_with_the_city_and_the_reply_speaks_its_output()
    {
        await using var client = await ConnectWithToolsAsync(emulator.Host);
        await client.SendAsync(UserText("What's the weather like in Paris today?"));
        await client.SendAsync(new { type = "response.create" });
        var events = await client.CollectUntilAsync("response.done");

        var call = events.Single(e => e.Type() == "response.function_call_arguments.done");
        Assert.Equal("get_weather", call.Str("name"));
        Assert.Equal("""{"city":"Paris"}""", call.Str("arguments"));
        await client.ExpectAsync("rate_limits.updated");

        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "function_call_output", call_id = call.Str("call_id"), output = "Sunny, 21 °C" } });
        await client.ExpectAsync("conversation.item.added");
        await client.ExpectAsync("conversation.item.done");
        await client.SendAsync(new { type = "response.create" });
        var reply = (await client.CollectUntilAsync("response.done"))[^1];
        Assert.Equal("Tool get_weather returned: Sunny, 21 °C",
            reply.GetProperty("response").GetProperty("output")[0].GetProperty("content")[0].Str("text"));
    }

    [Fact]
    public async Task Camel_case_name_words_match_and_an_id_with_a_digit_fills_an_id_parameter()
    {
        await using var client = await ConnectWithToolsAsync(emulator.Host);
        await client.SendAsync(UserText("what is the status of order A-42"));
        await client.SendAsync(new { type = "response.create" });
        var call = (await client.CollectUntilAsync("response.done")).Single(e => e.Type() == "response.function_call_arguments.done");
        Assert.Equal(("lookupOrderStatus", """{"order_id":"A-42"}"""), (call.Str("name"), call.Str("arguments")));
    }

    [Fact]
    public async Task The_call_command_takes_precedence_and_unrelated_text_is_still_echoed()
    {
        await using var client = await ConnectWithToolsAsync(emulator.Host);
        await client.SendAsync(UserText("""call get_weather {"city":"Rome","unit":"celsius"}"""));
        await client.SendAsync(new { type = "response.create" });
        var call = (await client.CollectUntilAsync("response.done")).Single(e => e.Type() == "response.function_call_arguments.done");
        Assert.Equal("""{"city":"Rome","unit":"celsius"}""", call.Str("arguments"));

        await client.SendAsync(UserText("Tell me a joke"));
        await client.SendAsync(new { type = "response.create" });
        var done = (await client.CollectUntilAsync("response.done"))[^1];
        Assert.Equal("Echo: Tell me a joke", done.GetProperty("response").GetProperty("output")[0].GetProperty("content")[0].Str("text"));
    }

    [Fact]
    public async Task Tool_choice_none_keeps_the_demo_from_calling()
    {
        await using var client = await ConnectWithToolsAsync(emulator.Host, toolChoice: "none");
        await client.SendAsync(UserText("What's the weather in Paris?"));
        await client.SendAsync(new { type = "response.create" });
        var done = (await client.CollectUntilAsync("response.done"))[^1];
        Assert.Equal("message", done.GetProperty("response").GetProperty("output")[0].Str("type"));
    }

    [Fact]
    public async Task The_demo_can_be_switched_off()
    {
        await using var host = await EmulatorHost.StartAsync(("OpenAIEmulator:DemoToolCalls", "false"));
        await using var client = await ConnectWithToolsAsync(host);
        await client.SendAsync(UserText("What's the weather in Paris?"));
        await client.SendAsync(new { type = "response.create" });
        var done = (await client.CollectUntilAsync("response.done"))[^1];
        Assert.Equal("Echo: What's the weather in Paris?", done.GetProperty("response").GetProperty("output")[0].GetProperty("content")[0].Str("text"));
    }
}
