using System.Text.Json;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

/// <summary>Parallel function calls: <c>call a {…} ; call b {…}</c> → one toolCall with several functionCalls.</summary>
public sealed class ParallelToolCallTests
{
    private const string Tools = """[{"functionDeclarations":[{"name":"lookup","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}}}},{"name":"weather"}]}]""";
    private static readonly string Setup = $$$"""{"model":"{{{Wire.NativeAudioModel}}}","outputAudioTranscription":{},"tools":{{{Tools}}}}""";

    private static string Response(JsonElement call, string output) =>
        $$$"""{"id":"{{{call.GetProperty("id").GetString()}}}","name":"{{{call.GetProperty("name").GetString()}}}","response":{"output":"{{{output}}}"}}""";

    private static async Task<List<JsonElement>> CallAsync(LiveClient client, string text)
    {
        await client.SendTextAsync(text);
        var toolCall = await client.WaitForAsync(j => j.Has("toolCall"));
        return [.. toolCall.Json.GetProperty("toolCall").GetProperty("functionCalls").EnumerateArray()];
    }

    [Fact]
    public async Task Several_commands_make_one_toolCall_and_one_toolResponse_answers_them_all()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        var calls = await CallAsync(client, """call lookup {"city":"Paris"} ; call weather {"city":"Rome"}""");
        Assert.Equal(["lookup", "weather"], calls.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("Paris", calls[0].GetProperty("args").GetProperty("city").GetString());
        Assert.Equal("Rome", calls[1].GetProperty("args").GetProperty("city").GetString());
        Assert.NotEqual(calls[0].GetProperty("id").GetString(), calls[1].GetProperty("id").GetString());

        // Responses in the other order: the reply still follows the calls' order.
        await client.SendAsync($$$"""{"toolResponse":{"functionResponses":[{{{Response(calls[1], "sunny")}}},{{{Response(calls[0], "found")}}}]}}""");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Tool lookup returned: found; Tool weather returned: sunny", Wire.OutputTranscript(frames));
    }

    [Fact]
    public async Task The_turn_waits_until_every_call_is_answered_across_several_toolResponses()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        var calls = await CallAsync(client, """call lookup {"city":"Paris"} ; call lookup {"city":"Rome"}""");
        Assert.Equal(2, calls.Count);

        await client.SendAsync($$$"""{"toolResponse":{"functionResponses":[{{{Response(calls[0], "paris")}}}]}}""");
        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForAsync(j => j.Has("serverContent"), TimeSpan.FromMilliseconds(500)));

        await client.SendAsync($$$"""{"toolResponse":{"functionResponses":[{{{Response(calls[1], "rome")}}}]}}""");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Tool lookup returned: paris; Tool lookup returned: rome", Wire.OutputTranscript(frames));
    }

    [Fact]
    public async Task Barge_in_cancels_every_pending_call_of_the_toolCall()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        var calls = await CallAsync(client, "call lookup {} ; call weather {}");
        await client.SendTextAsync("never mind");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        var ids = frames.Single(f => f.Json.Has("toolCallCancellation")).Json.GetProperty("toolCallCancellation").GetProperty("ids");
        Assert.Equal(calls.Select(c => c.GetProperty("id").GetString()), ids.EnumerateArray().Select(i => i.GetString()));
    }

    [Fact]
    public async Task A_part_that_is_not_a_declared_call_makes_the_text_an_ordinary_message()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync("call lookup {} ; call nope {}");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.DoesNotContain(frames, f => f.Json.Has("toolCall"));
        Assert.Equal("Echo: call lookup {} ; call nope {}", Wire.OutputTranscript(frames));
    }
}
