using System.Text.Json.Nodes;
using VoicePlatform.ModelCatalog;
using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>
/// Gemini 3.8 Live and 3.8 extended thinking against the emulator in those modes: the setup carries nothing the model
/// refuses (the emulator closes it otherwise), asynchronous function calls and turns the model continues
/// (interactionStatus IN_PROGRESS) reach the client as whole responses.
/// </summary>
public sealed class Gemini38Tests(ITestOutputHelper output)
{
    private static readonly JsonNode WeatherTool = JsonNode.Parse("""
        {"type":"function","name":"get_weather","description":"Weather for a city",
         "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}
        """)!;

    // TextOutput on in the catalog: the model profile alone must refuse text output.
    private static CatalogModel Live38 => new() { Id = "gemini-3.8-live", Provider = "google", UpstreamModel = "gemini-3.8-live", Capabilities = { TextOutput = true } };

    private static CatalogModel ExtendedThinking => new()
    {
        Id = "gemini-3.8-live-extended-thinking", Provider = "google", UpstreamModel = "gemini-3.8-live-extended-thinking",
    };

    [Fact]
    public async Task Text_output_on_3_8_is_an_error_event_and_the_session_keeps_speaking()
    {
        await using var h = await GeminiHarness.StartAsync(output, model: Live38);
        await h.SendAsync(new { type = "session.update", event_id = "evt_text", session = new { type = "realtime", output_modalities = new[] { "text" } } });

        var error = await h.Sink.WaitForAsync("error");
        Assert.Equal("invalid_request_error", error.Str("error", "type"));
        Assert.Equal("invalid_value", error.Str("error", "code"));
        Assert.Equal("session.output_modalities", error.Str("error", "param"));
        Assert.Equal("evt_text", error.Str("error", "event_id"));

        await h.UserTextAsync("hello");
        var done = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("completed", done.Str("response", "status"));
        Assert.Equal("Echo: hello", GeminiSessionLifecycleTests.TranscriptOf(done));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "session.updated");
    }

    [Fact]
    public async Task Extended_thinking_gets_a_thinking_level_and_its_filler_and_answer_arrive_as_two_responses()
    {
        // Without a thinking level (or with functions declared BLOCKING) the emulator refuses the setup.
        await using var h = await GeminiHarness.StartAsync(output, ["GeminiEmulator:Live38:ThinkingTime=00:00:00.2"], model: ExtendedThinking);
        await h.SendJsonAsync(new JsonObject
        {
            ["type"] = "session.update",
            ["session"] = new JsonObject { ["type"] = "realtime", ["tools"] = new JsonArray(WeatherTool.DeepClone()) },
        });
        await h.Sink.WaitForAsync("session.updated");

        var start = h.Sink.Events.Count;
        await h.UserTextAsync("hello");
        var filler = await h.Sink.WaitForAsync("response.done", start);
        var answer = await h.Sink.WaitForAsync("response.done", filler.Index + 1);

        Assert.Equal("Let me think about that.", GeminiSessionLifecycleTests.TranscriptOf(filler));
        Assert.Equal("Echo: hello", GeminiSessionLifecycleTests.TranscriptOf(answer));
        Assert.Equal("completed", filler.Str("response", "status"));
        Assert.Equal("completed", answer.Str("response", "status"));
        Assert.NotEqual(filler.Str("response", "id"), answer.Str("response", "id"));
        // Each response's events are its own: created … done, not interleaved.
        var sequence = h.Sink.Sequence(start).Where(t => t is "response.created" or "response.done").ToList();
        Assert.Equal(["response.created", "response.done", "response.created", "response.done"], sequence);
        Assert.True(answer.Get("response", "usage")!.Value.GetProperty("output_tokens").GetInt32() > 0);
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Fact]
    public async Task An_async_call_keeps_the_model_talking_and_its_result_is_answered_in_a_response_of_its_own()
    {
        await using var h = await GeminiHarness.StartAsync(output, model: Live38);
        await h.SendJsonAsync(new JsonObject
        {
            ["type"] = "session.update",
            ["session"] = new JsonObject { ["type"] = "realtime", ["tools"] = new JsonArray(WeatherTool.DeepClone()) },
        });
        await h.Sink.WaitForAsync("session.updated");

        var start = h.Sink.Events.Count;
        await h.UserTextAsync("call get_weather {\"city\":\"Paris\"}");
        var call = await h.Sink.WaitForAsync("response.done", start);
        var item = call.Get("response", "output")!.Value[0];
        Assert.Equal("function_call", item.GetProperty("type").GetString());
        var callId = item.GetProperty("call_id").GetString()!;

        // While the tool "runs" (no output sent yet) the model keeps talking: its filler is a response of its own.
        var filler = await h.Sink.WaitForAsync("response.done", call.Index + 1);
        Assert.Equal("Let me check that.", GeminiSessionLifecycleTests.TranscriptOf(filler));
        Assert.Equal("completed", filler.Str("response", "status"));

        await h.SendAsync(new { type = "conversation.item.create", item = new { type = "function_call_output", call_id = callId, output = "{\"temp\":21}" } });
        await h.SendAsync(new { type = "response.create" });
        var answer = await h.Sink.WaitForAsync("response.done", filler.Index + 1);
        Assert.Equal("Tool get_weather returned: {\"temp\":21}", GeminiSessionLifecycleTests.TranscriptOf(answer));
        Assert.Equal("completed", answer.Str("response", "status"));

        var dones = h.Sink.Events.Where(e => e.Index >= start && e.Type == "response.done").ToList();
        Assert.Equal(3, dones.Count);
        Assert.Equal(3, h.Sink.Events.Count(e => e.Index >= start && e.Type == "response.created"));
        // Usage: the call's turn (call + filler) and the answer's turn are each reported once, none lost.
        var outputTokens = dones.Select(d => d.Get("response", "usage")!.Value.GetProperty("output_tokens").GetInt32()).ToList();
        Assert.True(outputTokens[1] > 0);
        Assert.True(outputTokens[2] > 0);
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Fact]
    public async Task A_result_sent_while_the_filler_is_still_speaking_opens_its_response_after_the_filler()
    {
        // Paced generation: the filler is still streaming when the client answers the call at once (as OpenAI clients do).
        await using var h = await GeminiHarness.StartAsync(output, ["GeminiEmulator:Output:GenerationSpeed=1"], model: Live38);
        await h.SendJsonAsync(new JsonObject
        {
            ["type"] = "session.update",
            ["session"] = new JsonObject { ["type"] = "realtime", ["tools"] = new JsonArray(WeatherTool.DeepClone()) },
        });
        await h.Sink.WaitForAsync("session.updated");

        var start = h.Sink.Events.Count;
        await h.UserTextAsync("call get_weather {\"city\":\"Paris\"}");
        var call = await h.Sink.WaitForAsync("response.done", start);
        var callId = call.Get("response", "output")!.Value[0].GetProperty("call_id").GetString()!;
        // The filler has begun (its response is open) when the result comes.
        await h.Sink.WaitForAsync(e => e.Audio is not null, call.Index + 1);
        await h.SendAsync(new { type = "conversation.item.create", item = new { type = "function_call_output", call_id = callId, output = "{\"temp\":21}" } });
        await h.SendAsync(new { type = "response.create" });

        var filler = await h.Sink.WaitForAsync("response.done", call.Index + 1);
        var answer = await h.Sink.WaitForAsync("response.done", filler.Index + 1, TimeSpan.FromSeconds(20));
        Assert.Equal("Let me check that.", GeminiSessionLifecycleTests.TranscriptOf(filler));
        Assert.Equal("Tool get_weather returned: {\"temp\":21}", GeminiSessionLifecycleTests.TranscriptOf(answer));
        Assert.Equal("completed", filler.Str("response", "status"));
        Assert.Equal("completed", answer.Str("response", "status"));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Fact]
    public async Task A_result_without_response_create_goes_silent_when_the_user_speaks_next()
    {
        await using var h = await GeminiHarness.StartAsync(output, model: Live38);
        await h.SendJsonAsync(new JsonObject
        {
            ["type"] = "session.update",
            ["session"] = new JsonObject { ["type"] = "realtime", ["tools"] = new JsonArray(WeatherTool.DeepClone()) },
        });
        await h.Sink.WaitForAsync("session.updated");
        var start = h.Sink.Events.Count;
        await h.UserTextAsync("call get_weather {\"city\":\"Paris\"}");
        var call = await h.Sink.WaitForAsync("response.done", start);
        var callId = call.Get("response", "output")!.Value[0].GetProperty("call_id").GetString()!;
        var filler = await h.Sink.WaitForAsync("response.done", call.Index + 1);

        // The output alone asks for no answer; the user then speaks: the result goes up SILENT and is not spoken.
        await h.SendAsync(new { type = "conversation.item.create", item = new { type = "function_call_output", call_id = callId, output = "{\"temp\":21}" } });
        await h.SendAudioAsync(TestAudio.Concat(TestAudio.Silence(0.5, 24000), TestAudio.Speech(1.0, 24000), TestAudio.Silence(1.0, 24000)), 24000);
        var spoken = await h.Sink.WaitForAsync("response.done", filler.Index + 1);
        Assert.StartsWith("I heard", GeminiSessionLifecycleTests.TranscriptOf(spoken));

        // A later response.create is the user's text turn, not a late reading of the result.
        var next = h.Sink.Events.Count;
        await h.UserTextAsync("hi");
        var done = await h.Sink.WaitForAsync("response.done", next);
        Assert.Equal("Echo: hi", GeminiSessionLifecycleTests.TranscriptOf(done));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "response.done" && (GeminiSessionLifecycleTests.TranscriptOf(e) ?? "").StartsWith("Tool ", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Fact]
    public async Task A_setup_change_while_the_thinking_answer_is_in_progress_waits_for_it()
    {
        await using var h = await GeminiHarness.StartAsync(output, ["GeminiEmulator:Live38:ThinkingTime=00:00:00.5"], model: ExtendedThinking);
        await h.UserTextAsync("hello");
        var filler = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("Let me think about that.", GeminiSessionLifecycleTests.TranscriptOf(filler));

        // turnComplete said IN_PROGRESS: a switch now would lose the answer still to come.
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Be brief." } });
        await h.Sink.WaitForAsync("session.updated", filler.Index);
        Assert.DoesNotContain(h.Logs, l => l.Contains("switching to connection #2", StringComparison.Ordinal));

        var answer = await h.Sink.WaitForAsync("response.done", filler.Index + 1);
        Assert.Equal("Echo: hello", GeminiSessionLifecycleTests.TranscriptOf(answer));
        Assert.Equal("completed", answer.Str("response", "status"));

        // The switch follows once the model is idle, and the session goes on.
        var start = h.Sink.Events.Count;
        await h.UserTextAsync("again");
        var next = await h.Sink.WaitForAsync(e => e.Type == "response.done" && GeminiSessionLifecycleTests.TranscriptOf(e) == "Echo: again", start);
        Assert.Contains(h.Logs, l => l.Contains("switching to connection #2", StringComparison.Ordinal));
        Assert.Equal("completed", next.Str("response", "status"));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }
}
