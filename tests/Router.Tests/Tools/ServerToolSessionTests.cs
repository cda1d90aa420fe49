using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.Router.Tests.Providers.Gemini;
using VoicePlatform.RealtimeProtocol;
using VoicePlatform.Router.Tools;
using VoicePlatform.TestSupport;
using Xunit.Abstractions;
using static VoicePlatform.Router.Tests.Tools.ToolSession;

namespace VoicePlatform.Router.Tests.Tools;

/// <summary>
/// The server-tool layer with real parts on both sides: the real connectors against their provider emulators below
/// it, the real Tools service (in-process, own database) and a real webhook server behind it. Covers tool resolution
/// in session.update, default tools, parallel calls run concurrently, client tools, cancellation (barge-in, the
/// client moving on, the provider's toolCallCancellation), a Tools outage, end_session and audio pass-through.
/// </summary>
public sealed class ServerToolSessionTests(ToolsServiceFixture tools, ITestOutputHelper output) : IClassFixture<ToolsServiceFixture>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    private readonly string _tenant = Guid.NewGuid().ToString();

    private Task<ToolSession> StartAsync(string provider, GrpcChannel? executionChannel = null, Dictionary<string, string?>? connectorSettings = null) =>
        ToolSession.StartAsync(provider, tools, _tenant, output, executionChannel, connectorSettings);

    /// <summary>A webhook tool unique to this test (the webhook server is shared by the class); returns its name and path.</summary>
    private async Task<(string Name, string Path)> RegisterAsync(string prefix, int timeoutMs = 0)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..24];
        var path = "/" + name;
        await tools.RegisterAsync(_tenant, name, path, timeoutMs);
        return (name, path);
    }

    /// <summary>Answers with the request's arguments: <c>{"city":"Paris"}</c>.</summary>
    private static async Task EchoArgumentsAsync(HttpContext context, TestSupport.Webhooks.ReceivedWebhook received)
    {
        using var body = JsonDocument.Parse(received.Body);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.RootElement.GetProperty("arguments").GetRawText());
    }

    private static async Task HangAsync(HttpContext context, TestSupport.Webhooks.ReceivedWebhook _) =>
        await Task.Delay(Timeout.Infinite, context.RequestAborted);

    private static string Transcript(RecordingSink client, int from, RecordedEvent done) =>
        client.Events.Skip(from).Take(done.Index - from + 1).Last(e => e.Type == "response.output_audio_transcript.done").Str("transcript")!;

    private static IEnumerable<JsonElement> Output(RecordedEvent done) => done.Get("response", "output")!.Value.EnumerateArray();

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(ToolSession))]
    public async Task Session_update_resolves_platform_tools_into_function_tools_after_the_clients_own(string provider)
    {
        var (lookup, _) = await RegisterAsync("lookup");
        await using var session = await StartAsync(provider);
        var from = session.Client.Events.Count;

        var updated = await session.ConfigureToolsAsync(Platform(lookup), Function("get_weather"), Platform("nope"));

        var error = await session.Client.WaitForAsync("error", from);
        Assert.Equal("invalid_value", error.Str("error", "code"));
        Assert.Equal("session.tools", error.Str("error", "param"));
        Assert.Contains("nope", error.Str("error", "message"));
        // What the provider now has, as it reports it: the client's function, then the platform tool as a function.
        var installed = updated.Get("session", "tools")!.Value.EnumerateArray().ToList();
        Assert.Equal(["get_weather", lookup], installed.Select(t => t.GetProperty("name").GetString()));
        Assert.All(installed, t => Assert.Equal("function", t.GetProperty("type").GetString()));
        Assert.Equal([lookup], session.Layer.InstalledTools);
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(ToolSession))]
    public async Task Default_tools_are_installed_at_start_without_a_visible_session_updated(string provider)
    {
        await tools.SetDefaultToolsAsync(_tenant, "get_current_time");
        await using var session = await StartAsync(provider);
        Assert.Equal(["get_current_time"], session.Layer.InstalledTools);

        // The model has the tool: it calls it and the platform answers.
        var from = session.Client.Events.Count;
        await session.UserTextAsync("""call get_current_time {"timezone":"UTC"}""");
        var call = await session.NextResponseDoneAsync(from);
        Assert.Equal("platform", Output(call).Single().GetProperty("executed_by").GetString());
        var reply = await session.NextResponseDoneAsync(call.Index + 1);
        Assert.StartsWith("Tool get_current_time returned: ", Transcript(session.Client, call.Index + 1, reply));
        Assert.Contains("\"timezone\":\"UTC\"", Transcript(session.Client, call.Index + 1, reply));

        // The layer's own session.update was answered, but the client never saw it.
        Assert.DoesNotContain(session.Client.Events, e => e.Type == "session.updated");
        await session.ConfigureToolsAsync(Platform("get_current_time"));
        Assert.Single(session.Client.Events, e => e.Type == "session.updated");
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(ToolSession))]
    public async Task Parallel_calls_run_concurrently_and_one_response_create_follows_their_outputs(string provider)
    {
        var (lookup, path) = await RegisterAsync("lookup");
        var inFlight = 0;
        var bothInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tools.Webhooks.Handle(path, async (context, received) =>
        {
            if (Interlocked.Increment(ref inFlight) == 2) bothInFlight.TrySetResult();
            // Neither call is answered before both requests are in flight: only concurrent execution gets past this.
            await bothInFlight.Task.WaitAsync(TimeSpan.FromSeconds(10), context.RequestAborted);
            await EchoArgumentsAsync(context, received);
        });
        await using var session = await StartAsync(provider);
        await session.ConfigureToolsAsync(Platform(lookup));

        var from = session.Client.Events.Count;
        await session.UserTextAsync($$"""call {{lookup}} {"city":"Paris"} ; call {{lookup}} {"city":"Rome"}""");
        var calls = await session.NextResponseDoneAsync(from);
        var items = Output(calls).ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal("platform", i.GetProperty("executed_by").GetString()));

        var reply = await session.NextResponseDoneAsync(calls.Index + 1);
        Assert.True(bothInFlight.Task.IsCompletedSuccessfully);
        Assert.Equal($$"""Tool {{lookup}} returned: {"city":"Paris"}; Tool {{lookup}} returned: {"city":"Rome"}""",
            Transcript(session.Client, calls.Index + 1, reply));
        var received = tools.Webhooks.Received(path);
        Assert.Equal(2, received.Count);
        Assert.Equal(items.Select(i => i.GetProperty("call_id").GetString()).Order(), received.Select(r => r.Headers["X-VoicePlatform-Call-Id"]).Order());

        // Both outputs reached the provider (and the client, marked), then exactly one response followed.
        var between = session.Client.Events.Skip(calls.Index + 1).Take(reply.Index - calls.Index).ToList();
        var outputs = between.Where(e => e.Type == "conversation.item.done" && e.Str("item", "type") == "function_call_output").ToList();
        Assert.Equal(2, outputs.Count);
        Assert.All(outputs, o => Assert.Equal("platform", o.Str("item", "executed_by")));
        Assert.Single(between, e => e.Type == "response.created");
        await Task.Delay(Quiet);
        Assert.DoesNotContain(session.Client.Events.Skip(reply.Index + 1), e => e.Type is "response.created" or "error");
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(ToolSession))]
    public async Task Client_tools_are_left_to_the_client(string provider)
    {
        var (lookup, path) = await RegisterAsync("lookup");
        tools.Webhooks.Handle(path, EchoArgumentsAsync);
        await using var session = await StartAsync(provider);
        await session.ConfigureToolsAsync(Platform(lookup), Function("get_weather"));

        var from = session.Client.Events.Count;
        await session.UserTextAsync("""call get_weather {"city":"Oslo"}""");
        var done = await session.NextResponseDoneAsync(from);
        var call = Output(done).Single();
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.False(call.TryGetProperty("executed_by", out _));

        await Task.Delay(Quiet);
        Assert.DoesNotContain(session.Client.Events.Skip(done.Index + 1), e => e.Type is "response.created" or "conversation.item.added");
        Assert.Empty(tools.Webhooks.Received(path));
    }

    public static TheoryData<string, string> Interruptions => new()
    {
        { OpenAI, "speech" }, { OpenAI, "response.cancel" }, { OpenAI, "user message" },
        { Gemini, "speech" }, { Gemini, "response.cancel" }, { Gemini, "user message" },
    };

    [Theory]
    [MemberData(nameof(Interruptions))]
    public async Task Barge_in_or_the_client_moving_on_aborts_the_webhook_and_no_output_is_sent(string provider, string interruption)
    {
        var (lookup, path) = await RegisterAsync("slow");
        tools.Webhooks.Handle(path, HangAsync);
        await using var session = await StartAsync(provider);
        await session.ConfigureToolsAsync(Platform(lookup));

        var from = session.Client.Events.Count;
        await session.UserTextAsync($$"""call {{lookup}} {"city":"Paris"}""");
        var done = await session.NextResponseDoneAsync(from);
        var callId = Output(done).Single().GetProperty("call_id").GetString();
        var request = await WaitForRequestAsync(path);

        switch (interruption)
        {
            case "speech":
                // The provider hears the user (speech_started): the call is cancelled as the response would be.
                await session.SendAudioAsync(TestAudio.Concat(TestAudio.Speech(0.8, 24000), TestAudio.Silence(1.0, 24000)));
                await session.Client.WaitForAsync("input_audio_buffer.speech_started", done.Index);
                break;
            case "response.cancel":
                await session.SendAsync(new { type = "response.cancel" });
                break;
            default:
                await session.UserTextAsync("stop", respond: false);
                break;
        }

        await request.Aborted.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(Quiet);
        Assert.DoesNotContain(session.Client.Events, e => e.Type.StartsWith("conversation.item.", StringComparison.Ordinal)
            && e.Str("item", "type") == "function_call_output" && e.Str("item", "call_id") == callId);
    }

    [Fact]
    public async Task Gemini_toolCallCancellation_cancels_the_call_and_the_client_is_told()
    {
        var (lookup, path) = await RegisterAsync("slow");
        tools.Webhooks.Handle(path, HangAsync);
        // The Router's own VAD is made deaf, so the only barge-in signal is Gemini's: toolCallCancellation.
        await using var session = await StartAsync(Gemini, connectorSettings: new() { ["Providers:Gemini:Vad:ThresholdDbfs"] = "0" });
        await session.ConfigureToolsAsync(Platform(lookup));

        var from = session.Client.Events.Count;
        await session.UserTextAsync($$"""call {{lookup}} {"city":"Paris"}""");
        var done = await session.NextResponseDoneAsync(from);
        var call = Output(done).Single();
        var request = await WaitForRequestAsync(path);

        await session.SendAudioAsync(TestAudio.Concat(TestAudio.Speech(0.8, 24000), TestAudio.Silence(1.0, 24000)));
        var cancelled = await session.Client.WaitForAsync("response.function_call.cancelled", done.Index);
        Assert.Equal(call.GetProperty("call_id").GetString(), cancelled.Str("call_id"));
        Assert.Equal(call.GetProperty("id").GetString(), cancelled.Str("item_id"));

        await request.Aborted.WaitAsync(TimeSpan.FromSeconds(10));
        // Nothing else could have cancelled it: no speech_started, response.cancel or user message before the abort.
        Assert.DoesNotContain(session.Client.Events.Take(cancelled.Index), e => e.Type == "input_audio_buffer.speech_started");
        await Task.Delay(Quiet);
        Assert.DoesNotContain(session.Client.Events, e => e.Str("item", "type") == "function_call_output");
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(ToolSession))]
    public async Task An_unreachable_Tools_service_gives_the_model_a_structured_error(string provider)
    {
        var (lookup, path) = await RegisterAsync("lookup");
        using var closed = GrpcChannel.ForAddress($"http://127.0.0.1:{ClosedPort()}");
        await using var session = await StartAsync(provider, executionChannel: closed);
        await session.ConfigureToolsAsync(Platform(lookup));

        var from = session.Client.Events.Count;
        await session.UserTextAsync($$"""call {{lookup}} {"city":"Paris"}""");
        var calls = await session.NextResponseDoneAsync(from);
        var reply = await session.NextResponseDoneAsync(calls.Index + 1);

        var output = session.Client.Events.Skip(calls.Index).First(e => e.Type == "conversation.item.done" && e.Str("item", "type") == "function_call_output");
        using var error = JsonDocument.Parse(output.Str("item", "output")!);
        Assert.Equal("tools_unavailable", error.RootElement.GetProperty("error").GetString());
        Assert.Contains("tools_unavailable", Transcript(session.Client, calls.Index + 1, reply));
        Assert.Empty(tools.Webhooks.Received(path));
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(ToolSession))]
    public async Task End_session_ends_the_session_after_the_next_reply(string provider)
    {
        await using var session = await StartAsync(provider);
        await session.ConfigureToolsAsync(Platform("end_session"));

        var from = session.Client.Events.Count;
        await session.UserTextAsync("""call end_session {"reason":"done"}""");
        var call = await session.NextResponseDoneAsync(from);
        Assert.Equal("platform", Output(call).Single().GetProperty("executed_by").GetString());

        var (status, reason) = await session.Client.Ended.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal((1000, "session_ended"), (status, reason));
        await session.Layer.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        // The goodbye was spoken first: the session ended after the reply to the tool's output.
        var reply = session.Client.Events.Last(e => e.Type == "response.done");
        Assert.True(reply.Index > call.Index);
        Assert.StartsWith("Tool end_session returned: ", Transcript(session.Client, call.Index + 1, reply));
    }

    [Fact]
    public async Task End_session_ends_the_session_when_the_goodbye_is_done_before_the_tools_output_send_returns()
    {
        // The grace that ends a session whose goodbye never comes runs on a clock that does not move: only the reply can
        // end this session.
        var time = new FakeTimeProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new TestOutputLoggerProvider(output)));
        var client = new RecordingSink();
        var layer = tools.CreateServerTools(loggers, time: time).Open(RealtimeIds.New("sess"), _tenant, resumed: false, client);
        await using var _ = layer;
        await layer.AttachAsync(new InstantReplySession(layer, "end_session"), resume: null, CancellationToken.None);
        var update = new { type = "session.update", session = new { type = "realtime", tools = new[] { Platform("end_session") } } };
        await layer.SendEventAsync(0, JsonSerializer.SerializeToUtf8Bytes(update), CancellationToken.None);
        await client.WaitForAsync("session.updated");

        await layer.SendEventAsync(0, """{"type":"response.create"}"""u8.ToArray(), CancellationToken.None);

        var (status, reason) = await client.Ended.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal((1000, "session_ended"), (status, reason));
        var goodbye = client.Events.Last(e => e.Type == "response.done");
        Assert.Equal("message", Output(goodbye).Single().GetProperty("type").GetString());
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(ToolSession))]
    public async Task Audio_passes_straight_through(string provider)
    {
        var (lookup, _) = await RegisterAsync("lookup");
        await using var session = await StartAsync(provider);
        await session.ConfigureToolsAsync(Platform(lookup));

        var from = session.Client.Events.Count;
        await session.SendAudioAsync(TestAudio.Concat(TestAudio.Silence(0.3, 24000), TestAudio.Speech(1.0, 24000), TestAudio.Silence(1.0, 24000)));
        var done = await session.NextResponseDoneAsync(from);
        Assert.StartsWith("I heard ", Transcript(session.Client, from, done));
        Assert.Contains(session.Client.Events.Skip(from), e => e.Audio is { Length: > 0 });
    }

    [Fact]
    public async Task ListTools_carries_each_tools_timeout_and_the_call_deadline_follows_it()
    {
        var (slow, _) = await RegisterAsync("deadline", timeoutMs: 2500);
        var listed = await tools.Registry.ListToolsAsync(new ListToolsRequest { TenantId = _tenant });
        Assert.Equal(2500, listed.Tools.Single(t => t.Name == slow).TimeoutMs);
        Assert.All(listed.Tools.Where(t => t.BuiltIn), t => Assert.InRange(t.TimeoutMs, 1, 5000));

        var options = new ServerToolsOptions();
        Assert.Equal(TimeSpan.FromMilliseconds(2500) + options.CallDeadlineMargin, options.DeadlineFor(listed.Tools.Single(t => t.Name == slow)));
        Assert.Equal(options.CallDeadline, options.DeadlineFor(new ToolDefinition { Name = "from_an_older_tools_service" }));
    }

    private async Task<TestSupport.Webhooks.ReceivedWebhook> WaitForRequestAsync(string path)
    {
        for (var i = 0; i < 200; i++)
        {
            if (tools.Webhooks.Received(path) is [var request, ..]) return request;
            await Task.Delay(50);
        }
        throw new TimeoutException($"No webhook request to {path}");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
