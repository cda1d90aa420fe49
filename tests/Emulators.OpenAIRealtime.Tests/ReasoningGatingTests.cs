using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

/// <summary>
/// <c>reasoning.effort</c> (protocol additions §2): only the gpt-realtime-2* models take it, only with the five efforts;
/// anything else is an <c>invalid_request_error</c> and leaves the session as it was.
/// </summary>
public sealed class ReasoningGatingTests(DefaultEmulator emulator) : IClassFixture<DefaultEmulator>
{
    [Theory]
    [InlineData("gpt-realtime-2", "minimal")]
    [InlineData("gpt-realtime-2.1", "xhigh")]
    [InlineData("gpt-realtime-2.1-mini", "medium")]
    public async Task Reasoning_models_take_every_documented_effort(string model, string effort)
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host, model);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", reasoning = new { effort } } });
        var session = (await client.ExpectAsync("session.updated")).GetProperty("session");
        Assert.Equal(effort, session.GetProperty("reasoning").Str("effort"));

        await client.SendAsync(new { type = "response.create", response = new { reasoning = new { effort = "low" }, conversation = "none" } });
        Assert.Equal("completed", (await client.CollectUntilAsync("response.done"))[^1].GetProperty("response").Str("status"));
    }

    [Theory]
    [InlineData("gpt-realtime")]
    [InlineData("gpt-realtime-mini")]
    [InlineData("gpt-realtime-1.5")]
    public async Task Other_models_refuse_reasoning_and_keep_their_config(string model)
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host, model);
        await client.SendRawAsync("""{"type":"session.update","event_id":"evt_r","session":{"type":"realtime","instructions":"changed","reasoning":{"effort":"low"}}}""");
        var error = (await client.ExpectAsync("error")).GetProperty("error");
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.Equal("unsupported_parameter", error.Str("code"));
        Assert.Equal("session.reasoning", error.Str("param"));
        Assert.Equal("evt_r", error.Str("event_id"));

        await client.SendRawAsync("""{"type":"response.create","response":{"reasoning":{"effort":"low"}}}""");
        var responseError = (await client.ExpectAsync("error")).GetProperty("error");
        Assert.Equal("unsupported_parameter", responseError.Str("code"));
        Assert.Equal("response.reasoning", responseError.Str("param"));

        // Nothing of the refused update was applied.
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime" } });
        var session = (await client.ExpectAsync("session.updated")).GetProperty("session");
        Assert.NotEqual("changed", session.Str("instructions"));
        Assert.False(session.TryGetProperty("reasoning", out _));
    }

    [Fact]
    public async Task Unknown_efforts_are_refused_even_on_reasoning_models()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host, "gpt-realtime-2.1");
        await client.SendRawAsync("""{"type":"session.update","session":{"type":"realtime","reasoning":{"effort":"maximal"}}}""");
        var error = (await client.ExpectAsync("error")).GetProperty("error");
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.Equal("invalid_value", error.Str("code"));
        Assert.Equal("session.reasoning.effort", error.Str("param"));
    }

    [Fact]
    public async Task The_xai_dialect_refuses_reasoning()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(emulator.Host.XaiUri(), "xai-key");
        await client.CollectUntilAsync("session.created");
        await client.SendAsync(new { type = "session.update", session = new { reasoning = new { effort = "low" } } });
        var error = (await client.ExpectAsync("error")).GetProperty("error");
        Assert.Equal("unsupported_parameter", error.Str("code"));
        Assert.Equal("session.reasoning", error.Str("param"));
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
    }
}
