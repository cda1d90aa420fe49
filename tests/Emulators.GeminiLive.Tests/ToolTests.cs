using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

public sealed class ToolTests
{
    private const string Tools = """[{"functionDeclarations":[{"name":"get_weather","description":"Weather for a city","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}}}},{"name":"slow_lookup","behavior":"NON_BLOCKING"}]}]""";
    private static readonly string Setup = $$$"""{"model":"{{{Wire.NativeAudioModel}}}","outputAudioTranscription":{},"tools":{{{Tools}}}}""";

    [Fact]
    public async Task Blocking_tool_call_holds_the_turn_until_toolResponse()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync("""call get_weather {"city":"Paris"}""");
        var toolCall = await client.WaitForAsync(j => j.Has("toolCall"));
        var call = toolCall.Json.GetProperty("toolCall").GetProperty("functionCalls")[0];
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal("Paris", call.GetProperty("args").GetProperty("city").GetString());
        var id = call.GetProperty("id").GetString()!;
        Assert.False(string.IsNullOrEmpty(id));

        // Nothing more from the model while the call is pending.
        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForAsync(j => j.Has("serverContent"), TimeSpan.FromMilliseconds(600)));

        await client.SendAsync($$$"""{"toolResponse":{"functionResponses":[{"id":"{{{id}}}","name":"get_weather","response":{"output":"sunny, 21 C"}}]}}""");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);

        Assert.Equal("Tool get_weather returned: sunny, 21 C", Wire.OutputTranscript(frames));
        Assert.True(frames[^1].Json.GetProperty("usageMetadata").GetProperty("toolUsePromptTokenCount").GetInt32() > 0);
    }

    [Fact]
    public async Task Barge_in_while_a_call_is_pending_cancels_it()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync("""call get_weather {"city":"Oslo"}""");
        var id = (await client.WaitForAsync(j => j.Has("toolCall"))).Json.GetProperty("toolCall").GetProperty("functionCalls")[0].GetProperty("id").GetString();
        await client.SendTextAsync("never mind");

        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        var cancellation = frames.Single(f => f.Json.Has("toolCallCancellation")).Json;
        Assert.Equal(id, cancellation.GetProperty("toolCallCancellation").GetProperty("ids")[0].GetString());
        Assert.Contains(frames, f => Wire.IsInterrupted(f.Json));

        var next = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Echo: never mind", Wire.OutputTranscript(next));

        // A late response for the cancelled call is ignored.
        await client.SendAsync($$$"""{"toolResponse":{"functionResponses":[{"id":"{{{id}}}","name":"get_weather","response":{"output":"late"}}]}}""");
        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForAsync(j => j.Has("serverContent"), TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Non_blocking_call_lets_the_turn_finish_and_the_result_is_spoken_when_idle()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync("call slow_lookup {}");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        var id = frames.Single(f => f.Json.Has("toolCall")).Json.GetProperty("toolCall").GetProperty("functionCalls")[0].GetProperty("id").GetString();
        Assert.Equal("Calling slow_lookup.", Wire.OutputTranscript(frames));

        await client.SendAsync($$$"""{"toolResponse":{"functionResponses":[{"id":"{{{id}}}","name":"slow_lookup","response":{"output":"42"},"scheduling":"WHEN_IDLE"}]}}""");
        var result = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Tool slow_lookup returned: 42", Wire.OutputTranscript(result));
    }

    [Fact]
    public async Task Silent_scheduling_adds_the_result_without_speaking()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync("call slow_lookup {}");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        var id = frames.Single(f => f.Json.Has("toolCall")).Json.GetProperty("toolCall").GetProperty("functionCalls")[0].GetProperty("id").GetString();

        // The docs place scheduling inside response; the default accepts both places.
        await client.SendAsync($$$"""{"toolResponse":{"functionResponses":[{"id":"{{{id}}}","name":"slow_lookup","response":{"output":"42","scheduling":"SILENT"}}]}}""");
        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForAsync(j => j.Has("serverContent"), TimeSpan.FromMilliseconds(500)));
    }
}
