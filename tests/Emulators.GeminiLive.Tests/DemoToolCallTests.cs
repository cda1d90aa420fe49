using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

/// <summary>The documented demo behaviour: a natural sentence naming a declared function calls it, and the reply speaks its output.</summary>
public sealed class DemoToolCallTests
{
    private const string Tools = """[{"functionDeclarations":[{"name":"get_weather","description":"Current weather for a city","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}},"required":["city"]}},{"name":"end_call","behavior":"NON_BLOCKING"}]}]""";
    private static readonly string Setup = $$$"""{"model":"{{{Wire.NativeAudioModel}}}","outputAudioTranscription":{},"tools":{{{Tools}}}}""";

    [Fact]
    public async Task A_sentence_naming_a_function_calls_it_with_the_city_and_the_reply_speaks_its_output()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync("What's the weather like in Paris today?");
        var call = (await client.WaitForAsync(j => j.Has("toolCall"))).Json.GetProperty("toolCall").GetProperty("functionCalls")[0];
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", call.GetProperty("args").GetRawText());

        await client.SendAsync($$$"""{"toolResponse":{"functionResponses":[{"id":"{{{call.GetProperty("id").GetString()}}}","name":"get_weather","response":{"output":"sunny, 21 C"}}]}}""");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Tool get_weather returned: sunny, 21 C", Wire.OutputTranscript(frames));
    }

    [Fact]
    public async Task The_call_command_takes_precedence_and_unrelated_text_is_still_echoed()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync("""call get_weather {"city":"Rome","unit":"celsius"}""");
        var call = (await client.WaitForAsync(j => j.Has("toolCall"))).Json.GetProperty("toolCall").GetProperty("functionCalls")[0];
        Assert.Equal("""{"city":"Rome","unit":"celsius"}""", call.GetProperty("args").GetRawText());
        await client.SendAsync($$$"""{"toolResponse":{"functionResponses":[{"id":"{{{call.GetProperty("id").GetString()}}}","name":"get_weather","response":{"output":"rain"}}]}}""");
        await client.CollectUntilAsync(Wire.IsTurnComplete);

        await client.SendTextAsync("Tell me a joke");
        Assert.Equal("Echo: Tell me a joke", Wire.OutputTranscript(await client.CollectUntilAsync(Wire.IsTurnComplete)));
    }

    [Fact]
    public async Task The_demo_can_be_switched_off()
    {
        await using var host = await EmulatorHost.StartAsync("DemoToolCalls=false");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync("What's the weather in Paris?");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.DoesNotContain(frames, f => f.Json.Has("toolCall"));
        Assert.Equal("Echo: What's the weather in Paris?", Wire.OutputTranscript(frames));
    }
}
