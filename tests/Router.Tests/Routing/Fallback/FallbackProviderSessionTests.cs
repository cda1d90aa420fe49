using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Router.Routing.Fallback;
using VoicePlatform.Router.Routing.Resolution;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.Tests.Providers.OpenAI;

namespace VoicePlatform.Router.Tests.Routing.Fallback;

public class FallbackProviderSessionTests
{
    private static readonly ResolvedTarget Gpt = Target("gpt-realtime-2");
    private static readonly ResolvedTarget Gemini = Target("gemini-3.1-flash-live");
    private static readonly ReadOnlyMemory<byte> ItemCreate =
        Encoding.UTF8.GetBytes("""{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}}""");

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSink _client = new();
    private readonly List<ScriptedProviderSession> _opened = [];
    private readonly List<(string Model, string Code)> _switches = [];
    private readonly SessionResumeState _handedOver = new(null, [], new Dictionary<string, string>());
    private readonly HashSet<string> _refusing = [];
    private readonly ResponseRequests _requests = new();
    private TaskCompletionSource? _holdOpen; // when set, opening a provider after the first waits for it
    private readonly TaskCompletionSource _opening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static ResolvedTarget Target(string id)
    {
        Assert.True(TestModelCatalog.Models.TryResolve(id, out var model));
        return new ResolvedTarget(model, null);
    }

    private FallbackProviderSession Moving(IReadOnlyList<ResolvedTarget> steps)
    {
        var options = Options.Create(new ConnectFallbackOptions());
        var fallback = new ConnectFallback(new ProviderCircuits(options, _time), options, _time, new RoutingMetrics(new DummyMeterFactory()),
            NullLogger<ConnectFallback>.Instance);
        return new FallbackProviderSession(steps, Open, _client, () => _handedOver, _requests, fallback,
            (target, failure, _) => _switches.Add((target.Model.Id, failure.Code)), _time, NullLogger<FallbackProviderSession>.Instance);
    }

    private async Task<IProviderSession> Open(ResolvedTarget step, SessionResumeState? resume, ISessionEventSink sink, CancellationToken cancellationToken)
    {
        if (_opened.Count > 0 && _holdOpen is { } hold)
        {
            _opening.TrySetResult();
            await hold.Task;
        }

        return await OpenNowAsync(step, resume, sink);
    }

    private Task<IProviderSession> OpenNowAsync(ResolvedTarget step, SessionResumeState? resume, ISessionEventSink sink)
    {
        if (_refusing.Contains(step.Model.Id))
            return Task.FromException<IProviderSession>(new ProviderConnectException("provider_unavailable", $"{step.Model.Id} refused"));
        var session = new ScriptedProviderSession(step.Model.Id, sink, resume);
        lock (_opened) _opened.Add(session);
        return Task.FromResult<IProviderSession>(session);
    }

    private async Task<(FallbackProviderSession Moving, ScriptedProviderSession First)> StartedOnAsync(ResolvedTarget target, params ResolvedTarget[] steps)
    {
        var moving = Moving(steps);
        var first = (ScriptedProviderSession)await Open(target, null, moving.NextSink(target), CancellationToken.None);
        moving.Begin(first, target);
        return (moving, first);
    }

    [Fact]
    public async Task A_provider_failing_mid_response_moves_the_session_to_the_next_model_which_answers_again()
    {
        var (moving, first) = await StartedOnAsync(Gpt, Gpt, Gemini);
        await first.EmitAsync("""{"type":"response.created","event_id":"e1","response":{"id":"resp_1","status":"in_progress"}}""");
        await first.FailAsync("insufficient_quota");

        Assert.Equal("response.created", (await _client.NextAsync()).Type);
        var cut = await _client.NextAsync();
        Assert.Equal("response.done", cut.Type);
        Assert.Equal("resp_1", cut.Json.GetProperty("response").GetProperty("id").GetString());
        Assert.Equal("failed", cut.Json.GetProperty("response").GetProperty("status").GetString());
        var changed = await _client.NextAsync();
        Assert.Equal("session.model_changed", changed.Type);
        Assert.Equal("gemini-3.1-flash-live", changed.Json.GetProperty("model").GetString());
        Assert.Equal("gpt-realtime-2", changed.Json.GetProperty("previous_model").GetString());
        Assert.Equal("provider_unavailable", changed.Json.GetProperty("reason").GetString());

        await moving.SendEventAsync(0, ItemCreate, CancellationToken.None); // waits for the switch to finish
        var next = _opened[1];
        Assert.Equal("gemini-3.1-flash-live", next.Model);
        Assert.Same(_handedOver, next.Resume);
        Assert.Equal(["""{"type":"response.create"}""", Encoding.UTF8.GetString(ItemCreate.Span)], next.Received);
        Assert.True(first.Disposed);
        Assert.Equal([("gemini-3.1-flash-live", "insufficient_quota")], _switches);
        Assert.Empty(_client.Drain()); // no error, no close
        Assert.False(moving.Completion.IsCompleted);

        // The new model's events are the client's.
        await next.EmitAsync("""{"type":"response.created","event_id":"e2","response":{"id":"resp_2","status":"in_progress"}}""");
        Assert.Equal("response.created", (await _client.NextAsync()).Type);
    }

    [Fact]
    public async Task A_frame_the_failing_connection_could_not_take_goes_to_the_next_model()
    {
        var (moving, first) = await StartedOnAsync(Gpt, Gpt, Gemini);
        first.BreakNextSend = new WebSocketException("The remote party closed the WebSocket connection without completing the close handshake.");
        var sending = moving.SendEventAsync(0, ItemCreate, CancellationToken.None).AsTask();
        await first.FailAsync("server_error");
        await sending;

        Assert.Equal([Encoding.UTF8.GetString(ItemCreate.Span)], _opened[1].Received); // nothing was being answered: no re-ask
        Assert.Equal("session.model_changed", (await _client.NextAsync()).Type);
    }

    [Fact]
    public async Task A_response_request_the_failing_connection_could_not_take_is_asked_once_of_the_next_model()
    {
        var (moving, first) = await StartedOnAsync(Gpt, Gpt, Gemini);
        var create = Encoding.UTF8.GetBytes("""{"type":"response.create","event_id":"ask_1"}""");
        _requests.Requested(7, "ask_1"); // the relay registers a request before handing it over
        first.BreakNextSend = new WebSocketException("The remote party closed the WebSocket connection without completing the close handshake.");
        var sending = moving.SendEventAsync(0, create, CancellationToken.None).AsTask();
        await first.FailAsync("server_error");
        await sending;

        Assert.Equal([Encoding.UTF8.GetString(create)], _opened[1].Received);
    }

    [Fact]
    public async Task A_response_request_that_arrives_while_the_session_moves_is_asked_once_of_the_next_model()
    {
        var (moving, first) = await StartedOnAsync(Gpt, Gpt, Gemini);
        _holdOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await first.FailAsync("insufficient_quota");
        await _opening.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the switch holds the send gate while it connects

        var create = Encoding.UTF8.GetBytes("""{"type":"response.create","event_id":"ask_2"}""");
        _requests.Requested(8, "ask_2"); // the relay registers the request, then hands it over: it waits for the switch
        var sending = moving.SendEventAsync(8, create, CancellationToken.None).AsTask();
        Assert.False(sending.IsCompleted);
        _holdOpen.SetResult();
        await sending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([Encoding.UTF8.GetString(create)], _opened[1].Received); // the frame itself, and no re-ask besides it
    }

    [Fact]
    public async Task A_response_request_registered_but_not_yet_handed_over_when_the_provider_fails_is_asked_once_of_the_next_model()
    {
        // The relay registers a request, then hands the frame over: a failure counted between the two moments must not
        // make the switch ask for it as well (the frame itself reaches the next model).
        var (moving, first) = await StartedOnAsync(Gpt, Gpt, Gemini);
        var create = Encoding.UTF8.GetBytes("""{"type":"response.create","event_id":"ask_3"}""");
        _requests.Requested(10, "ask_3");
        await first.FailAsync("server_error");
        Assert.Equal("session.model_changed", (await _client.NextAsync()).Type);

        await moving.SendEventAsync(10, create, CancellationToken.None);
        Assert.Equal([Encoding.UTF8.GetString(create)], _opened[1].Received); // the frame, and no re-ask before it
    }

    [Fact]
    public async Task A_response_request_the_failed_provider_took_but_never_answered_is_asked_again()
    {
        var (moving, first) = await StartedOnAsync(Gpt, Gpt, Gemini);
        _requests.Requested(7, "ask_1");
        await moving.SendEventAsync(0, """{"type":"response.create","event_id":"ask_1"}"""u8.ToArray(), CancellationToken.None);
        await first.FailAsync("insufficient_quota");

        Assert.Equal("session.model_changed", (await _client.NextAsync()).Type);
        await moving.SendEventAsync(0, ItemCreate, CancellationToken.None); // after the switch
        Assert.Equal(["""{"type":"response.create"}""", Encoding.UTF8.GetString(ItemCreate.Span)], _opened[1].Received);
    }

    [Fact]
    public async Task An_item_the_failed_provider_took_without_confirming_is_handed_to_the_next_model_before_the_answer_is_asked_again()
    {
        var (moving, first) = await StartedOnAsync(Gpt, Gpt, Gemini);
        var confirmed = Encoding.UTF8.GetBytes("""{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"one"}]}}""");
        await moving.SendEventAsync(0, confirmed, CancellationToken.None);
        await first.EmitAsync("""{"type":"conversation.item.done","item":{"id":"item_1","type":"message","role":"user"}}""");
        await moving.SendEventAsync(0, ItemCreate, CancellationToken.None); // taken, never confirmed
        _requests.Requested(9, null);
        await moving.SendEventAsync(0, """{"type":"response.create"}"""u8.ToArray(), CancellationToken.None);
        await first.FailAsync("server_error");

        Assert.Equal("conversation.item.done", (await _client.NextAsync()).Type);
        Assert.Equal("session.model_changed", (await _client.NextAsync()).Type);
        await moving.SendAudioAsync(0, new byte[480], 24000, null, CancellationToken.None); // after the switch
        Assert.Equal([Encoding.UTF8.GetString(ItemCreate.Span), """{"type":"response.create"}""", "audio:480"], _opened[1].Received);
    }

    [Fact]
    public async Task On_the_chains_last_model_a_failure_ends_the_session_as_without_a_chain()
    {
        var (moving, last) = await StartedOnAsync(Gemini, Gpt, Gemini);
        await last.FailAsync("server_error");

        Assert.Equal(["error", "(end)"], _client.Drain().Select(e => e.Type));
        await moving.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(_opened);
    }

    [Fact]
    public async Task When_the_next_model_refuses_too_the_client_gets_the_failure_and_the_close()
    {
        _refusing.Add("gemini-3.1-flash-live");
        var (moving, first) = await StartedOnAsync(Gpt, Gpt, Gemini);
        await first.FailAsync("insufficient_quota");

        var error = await _client.NextAsync();
        Assert.Equal("provider_unavailable", error.Json.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("insufficient_quota", error.Json.GetProperty("error").GetProperty("message").GetString());
        var end = await _client.NextAsync();
        Assert.Equal(RealtimeCloseCodes.InternalError, end.CloseStatus);
        await moving.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(_switches);
    }

    [Fact]
    public async Task A_provider_ending_the_session_normally_ends_it()
    {
        var (moving, first) = await StartedOnAsync(Gpt, Gpt, Gemini);
        await first.EndAsync(RealtimeCloseCodes.Normal, "done");

        var end = await _client.NextAsync();
        Assert.Equal(RealtimeCloseCodes.Normal, end.CloseStatus);
        await moving.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(_opened);
    }

    private sealed class DummyMeterFactory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
