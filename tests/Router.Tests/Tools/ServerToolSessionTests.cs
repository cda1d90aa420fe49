using System.Text;
using System.Text.Json;
using Grpc.Core;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.Router.Tests.Providers.OpenAI;
using VoicePlatform.Router.Tools;

namespace VoicePlatform.Router.Tests.Tools;

/// <summary>
/// The server-tool layer between the relay and a provider session, driven with canonical events on both sides:
/// tool resolution in session.update, default tools, concurrent execution, cancellation, Tools outages, end_session.
/// </summary>
public sealed class ServerToolSessionTests
{
    private readonly FakeTools _tools = new();
    private readonly RecordingSink _client = new();
    private readonly FakeProviderSession _provider = new();

    private async Task<ServerToolSession> OpenAsync()
    {
        var layer = _tools.CreateServerTools().Open("sess_test", "6f1c0000-0000-0000-0000-000000000001", _client);
        await layer.AttachAsync(_provider, resume: null, CancellationToken.None);
        return layer;
    }

    private static ReadOnlyMemory<byte> Json(string json) => Encoding.UTF8.GetBytes(json);

    private static string ResponseDone(params (string CallId, string Name)[] calls) => JsonSerializer.Serialize(new
    {
        type = "response.done",
        event_id = "event_1",
        response = new
        {
            id = "resp_1",
            status = "completed",
            output = calls.Select(c => new { id = "item_" + c.CallId, type = "function_call", status = "completed", call_id = c.CallId, name = c.Name, arguments = "{}" }),
        },
    });

    [Fact]
    public async Task Session_update_resolves_platform_tools_into_function_tools_after_the_clients_own()
    {
        await using var layer = await OpenAsync();
        await layer.SendEventAsync(Json("""
            {"type":"session.update","event_id":"evt_1","session":{"type":"realtime","tools":[
              {"type":"platform","name":"lookup_order"},
              {"type":"function","name":"get_weather","parameters":{"type":"object"}},
              {"type":"platform","name":"nope"}]}}
            """), CancellationToken.None);

        var error = (await _client.NextAsync()).Json.GetProperty("error");
        Assert.Equal("invalid_value", error.GetProperty("code").GetString());
        Assert.Equal("session.tools", error.GetProperty("param").GetString());
        Assert.Equal("evt_1", error.GetProperty("event_id").GetString());

        var sent = await _provider.NextSentAsync();
        var tools = sent.GetProperty("session").GetProperty("tools").EnumerateArray().ToList();
        Assert.Equal(["get_weather", "lookup_order"], tools.Select(t => t.GetProperty("name").GetString()));
        Assert.All(tools, t => Assert.Equal("function", t.GetProperty("type").GetString()));
        Assert.Equal("object", tools[1].GetProperty("parameters").GetProperty("type").GetString());
        Assert.Equal(["lookup_order"], layer.InstalledTools);
    }

    [Fact]
    public async Task Default_tools_are_installed_at_start_and_their_session_updated_is_not_shown()
    {
        _tools.Tools.DefaultTools.Add("get_current_time");
        await using var layer = await OpenAsync();

        var update = await _provider.NextSentAsync();
        Assert.Equal("session.update", update.GetProperty("type").GetString());
        Assert.Equal("get_current_time", update.GetProperty("session").GetProperty("tools")[0].GetProperty("name").GetString());

        await layer.EventAsync(Json("""{"type":"session.updated","event_id":"e1","session":{"tools":[]}}"""), CancellationToken.None);
        await layer.EventAsync(Json("""{"type":"session.updated","event_id":"e2","session":{"tools":[]}}"""), CancellationToken.None);
        var shown = _client.Drain();
        Assert.Equal("e2", Assert.Single(shown).Json.GetProperty("event_id").GetString());
    }

    [Fact]
    public async Task Two_calls_in_one_response_run_concurrently_then_one_response_create_follows_their_outputs()
    {
        var bothStarted = new TaskCompletionSource();
        var started = 0;
        _tools.Execute = async (request, cancellationToken) =>
        {
            if (Interlocked.Increment(ref started) == 2) bothStarted.TrySetResult();
            // Neither finishes before the other started: only concurrent execution gets past this.
            await bothStarted.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return new ExecuteToolResponse { OutputJson = $$"""{"order":"{{request.CallId}}"}""", Outcome = ToolOutcome.Ok };
        };
        await using var layer = await OpenAsync();
        await layer.SendEventAsync(Json("""{"type":"session.update","session":{"type":"realtime","tools":[{"type":"platform","name":"lookup_order"}]}}"""), CancellationToken.None);
        await _provider.NextSentAsync();

        await layer.EventAsync(Json(ResponseDone(("call_a", "lookup_order"), ("call_b", "lookup_order"))), CancellationToken.None);
        var done = (await _client.NextAsync()).Json;
        Assert.All(done.GetProperty("response").GetProperty("output").EnumerateArray(),
            item => Assert.Equal("platform", item.GetProperty("executed_by").GetString()));

        var sent = new[] { await _provider.NextSentAsync(), await _provider.NextSentAsync(), await _provider.NextSentAsync() };
        Assert.Equal(["conversation.item.create", "conversation.item.create", "response.create"], sent.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(["call_a", "call_b"], sent[..2].Select(e => e.GetProperty("item").GetProperty("call_id").GetString()));
        Assert.Equal("""{"order":"call_a"}""", sent[0].GetProperty("item").GetProperty("output").GetString());
        Assert.Equal(2, _tools.Requests.Count);
        Assert.All(_tools.Requests, r => Assert.Equal("sess_test", r.SessionId));

        // The output items the provider confirms are marked for the client too.
        await layer.EventAsync(Json("""{"type":"conversation.item.done","event_id":"e","item":{"id":"i","type":"function_call_output","call_id":"call_a","output":"{}"}}"""), CancellationToken.None);
        Assert.Equal("platform", (await _client.NextAsync()).Json.GetProperty("item").GetProperty("executed_by").GetString());
    }

    [Fact]
    public async Task Client_tools_are_left_to_the_client()
    {
        await using var layer = await OpenAsync();
        await layer.SendEventAsync(Json("""{"type":"session.update","session":{"type":"realtime","tools":[{"type":"platform","name":"lookup_order"},{"type":"function","name":"get_weather"}]}}"""), CancellationToken.None);
        await _provider.NextSentAsync();

        await layer.EventAsync(Json(ResponseDone(("call_w", "get_weather"))), CancellationToken.None);
        var done = (await _client.NextAsync()).Json;
        Assert.False(done.GetProperty("response").GetProperty("output")[0].TryGetProperty("executed_by", out _));
        await Task.Delay(200);
        Assert.Empty(_provider.DrainSent());
        Assert.Empty(_tools.Requests);
    }

    [Theory]
    [InlineData("""{"type":"input_audio_buffer.speech_started","event_id":"e","audio_start_ms":0,"item_id":"i"}""", true)]
    [InlineData("""{"type":"response.cancel"}""", false)]
    [InlineData("""{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"stop"}]}}""", false)]
    public async Task Barge_in_cancels_the_call_and_no_output_is_sent(string interruption, bool fromProvider)
    {
        var cancelled = new TaskCompletionSource();
        _tools.Execute = async (_, cancellationToken) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
            return new ExecuteToolResponse();
        };
        await using var layer = await OpenAsync();
        await layer.SendEventAsync(Json("""{"type":"session.update","session":{"type":"realtime","tools":[{"type":"platform","name":"lookup_order"}]}}"""), CancellationToken.None);
        await _provider.NextSentAsync();
        await layer.EventAsync(Json(ResponseDone(("call_slow", "lookup_order"))), CancellationToken.None);
        await Poll(() => !_tools.Requests.IsEmpty);

        if (fromProvider) await layer.EventAsync(Json(interruption), CancellationToken.None);
        else await layer.SendEventAsync(Json(interruption), CancellationToken.None);

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(200);
        var sent = _provider.DrainSent();
        Assert.DoesNotContain(sent, e => e.GetProperty("type").GetString() is "response.create"
            || (e.GetProperty("type").GetString() == "conversation.item.create" && e.GetProperty("item").GetProperty("type").GetString() == "function_call_output"));
    }

    [Fact]
    public async Task An_unreachable_Tools_service_gives_the_model_a_structured_error()
    {
        _tools.Execute = (_, _) => throw new RpcException(new Status(StatusCode.Unavailable, "connection refused"));
        await using var layer = await OpenAsync();
        await layer.SendEventAsync(Json("""{"type":"session.update","session":{"type":"realtime","tools":[{"type":"platform","name":"lookup_order"}]}}"""), CancellationToken.None);
        await _provider.NextSentAsync();

        await layer.EventAsync(Json(ResponseDone(("call_x", "lookup_order"))), CancellationToken.None);
        var output = (await _provider.NextSentAsync()).GetProperty("item").GetProperty("output").GetString()!;
        Assert.Equal("tools_unavailable", JsonDocument.Parse(output).RootElement.GetProperty("error").GetString());
        Assert.Equal("response.create", (await _provider.NextSentAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task End_session_ends_the_session_after_the_next_reply()
    {
        _tools.Execute = (_, _) => Task.FromResult(new ExecuteToolResponse { OutputJson = """{"ending":true}""", Outcome = ToolOutcome.Ok, Action = ToolAction.EndSession, BuiltIn = true });
        await using var layer = await OpenAsync();
        await layer.SendEventAsync(Json("""{"type":"session.update","session":{"type":"realtime","tools":[{"type":"platform","name":"end_session"}]}}"""), CancellationToken.None);
        await _provider.NextSentAsync();

        await layer.EventAsync(Json(ResponseDone(("call_end", "end_session"))), CancellationToken.None);
        await _provider.NextSentAsync(); // output
        await _provider.NextSentAsync(); // response.create
        Assert.False(layer.Completion.IsCompleted);

        await layer.EventAsync(Json("""{"type":"response.done","event_id":"e","response":{"id":"resp_2","status":"completed","output":[]}}"""), CancellationToken.None);
        await layer.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        var events = _client.Drain();
        Assert.Equal("response.done", events[^2].Type);
        Assert.Equal(("(end)", 1000), (events[^1].Type, events[^1].CloseStatus));
    }

    [Fact]
    public async Task Audio_passes_straight_through()
    {
        await using var layer = await OpenAsync();
        await layer.SendAudioAsync(new byte[960], 24000, null, CancellationToken.None);
        Assert.Equal(1, _provider.AudioFrames);
    }

    private static async Task Poll(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }
}
