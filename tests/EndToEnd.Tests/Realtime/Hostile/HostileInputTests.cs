using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using VoicePlatform.TestSupport.Realtime;
using Xunit.Abstractions;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Hostile;

/// <summary>
/// The hostile-input suite (issue 14): no client message ends a session except where the protocol requires it
/// (invalid UTF-8 in a text frame: 1007), every readable event_id is echoed in the error, no service restarts, and
/// the Gateway's memory does not grow with the messages it has handled. Seeded and reproducible: a failure prints the
/// message that caused it; <c>VOICEPLATFORM_FUZZ_SEED</c> replays a seed.
/// </summary>
public class HostileInputTests(HostileInputPlatform platform, ITestOutputHelper output) : IClassFixture<HostileInputPlatform>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private const int StreamMessagesPerModel = 1500;
    private const int BatchSize = 100;

    public static TheoryData<string> Models => RealtimeConversationTests.Models;

    public static TheoryData<string, string> ClassesOnBothModels
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var model in new[] { "gpt-realtime-2", "gemini-3.1-flash-live" })
                foreach (var kind in ClientMessageFuzzer.Classes)
                    data.Add(model, kind);
            return data;
        }
    }

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("VOICEPLATFORM_FUZZ_SEED"), out var seed) ? seed : 20261204;

    [Fact]
    public async Task A_stream_of_generated_messages_ends_no_session_and_every_readable_event_id_is_echoed()
    {
        var processes = ProcessIds();
        long? memoryAfterFirstRound = null;
        var totals = (Messages: 0, Errors: 0, Sessions: 0);
        for (var round = 1; round <= 2; round++)
        {
            foreach (var model in new[] { "gpt-realtime-2", "gemini-3.1-flash-live" })
            {
                var fuzzer = new ClientMessageFuzzer(Seed + round * 10 + (model.StartsWith("gpt", StringComparison.Ordinal) ? 0 : 1), HostileInputPlatform.MaxClientMessageBytes);
                await using var client = await ConnectAsync(model);
                var checker = new FuzzBatchChecker(client);
                for (var sent = 0; sent < StreamMessagesPerModel / 2; sent += BatchSize)
                    await checker.RunAsync([.. Enumerable.Range(0, BatchSize).Select(_ => fuzzer.Next())]);
                await AssertSessionStillWorksAsync(client, model);
                totals = (totals.Messages + checker.MessagesSent, totals.Errors + checker.ErrorsReceived, totals.Sessions + 1);
            }
            // Leak check: a second round of the same work must not grow the Gateway further (pools and heaps have
            // settled after the first; what keeps growing is held per message).
            var memory = await SettledGatewayMemoryAsync();
            output.WriteLine($"round {round}: Gateway resident memory {memory / (1024 * 1024)} MiB");
            if (memoryAfterFirstRound is { } first)
                Assert.True(memory - first < 96L * 1024 * 1024, $"Gateway memory grew from {first / (1024 * 1024)} MiB to {memory / (1024 * 1024)} MiB over a second identical round");
            memoryAfterFirstRound ??= memory;
        }
        output.WriteLine($"seed {Seed}: {totals.Messages} messages in {totals.Sessions} sessions, {totals.Errors} error events, 0 sessions ended, 0 restarts");
        Assert.Equal(processes, ProcessIds());
    }

    [Theory]
    [MemberData(nameof(ClassesOnBothModels))]
    public async Task Each_class_alone_in_a_fresh_session_leaves_it_working(string model, string kind)
    {
        await using var client = await ConnectAsync(model);
        var fuzzer = new ClientMessageFuzzer(Seed + Array.IndexOf(ClientMessageFuzzer.Classes, kind), HostileInputPlatform.MaxClientMessageBytes);
        await new FuzzBatchChecker(client).RunAsync([fuzzer.Next(kind)]);
        await AssertSessionStillWorksAsync(client, model);
    }

    public static TheoryData<string, string, string, string?> FindingsMessages => new()
    {
        // model, message as the probe sent it, the event_id the error must carry, param
        { "gpt-realtime-2", """{"type":"response.cancel","event_id":"a","event_id":"b"}""", "a", "event_id" },
        { "gemini-3.1-flash-live", """{"type":"response.cancel","event_id":"a","event_id":"b"}""", "a", "event_id" },
        { "gpt-realtime-2", """{"event_id":"t","type":"response.cancel","type":"response.cancel"}""", "t", "type" },
        { "gpt-realtime-2", """{"event_id":"s","type":"session.update","session":{"type":"realtime","voice":"x","voice":"y"}}""", "s", "session.voice" },
        { "gemini-3.1-flash-live", """{"event_id":"i","type":"conversation.item.create","item":{"id":"a","id":"b","type":"message","role":"user","content":[]}}""", "i", "item.id" },
        { "gpt-realtime-2", """{"event_id":"u","type":"\udfff"}""", "u", "type" },
        { "gemini-3.1-flash-live", """{"type":"response.cancel","event_id":"\udfff"}""", "\\udfff", null },
        { "gpt-realtime-2", """{"type":"response.cancel","event_id":"\udfff"}""", "\\udfff", null },
    };

    [Theory]
    [MemberData(nameof(FindingsMessages))]
    public async Task Duplicate_keys_and_unpaired_surrogates_get_an_error_and_the_session_goes_on(string model, string message, string eventId, string? param)
    {
        await using var client = await ConnectAsync(model);
        await client.SendRawAsync(message);
        var error = (await client.ExpectAsync("error", Wait)).GetProperty("error");
        Assert.Equal("invalid_json", error.Str("code"));
        Assert.Equal(eventId, error.Str("event_id"));
        if (param is not null) Assert.Equal(param, error.Str("param"));
        await AssertSessionStillWorksAsync(client, model);
    }

    [Theory]
    [InlineData("gpt-realtime-2", "")]
    [InlineData("gpt-realtime-2", "\n\n")]
    [InlineData("gpt-realtime-2", "AA==")]
    [InlineData("gemini-3.1-flash-live", "")]
    [InlineData("gemini-3.1-flash-live", "AA==")]
    public async Task A_first_append_of_almost_nothing_is_taken(string model, string audio)
    {
        await using var client = await ConnectAsync(model);
        await client.SendAsync(new { type = "input_audio_buffer.append", event_id = "tiny", audio });
        await AssertSessionStillWorksAsync(client, model);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Messages_beyond_the_old_4_MB_stream_limit_are_carried(string model)
    {
        await using var client = await ConnectAsync(model);
        // 10 MiB of base64 (7.5 MB of silence) in one append, then an item carrying 6 MB of audio: both within the
        // documented 15 MiB, both above gRPC's default 4 MB that used to end the session.
        await client.SendAsync(new { type = "input_audio_buffer.append", event_id = "big_append", audio = Convert.ToBase64String(new byte[7_500_000]) });
        await client.SendAsync(new { type = "input_audio_buffer.clear", event_id = "clear" });
        await client.ExpectAsync("input_audio_buffer.cleared", Wait);
        await client.SendAsync(new
        {
            type = "conversation.item.create",
            event_id = "big_item",
            item = new { type = "message", role = "user", content = new[] { new { type = "input_audio", audio = Convert.ToBase64String(new byte[6_000_000]) } } },
        });
        var added = await client.CollectUntilAsync("conversation.item.added", Wait);
        Assert.DoesNotContain(added, e => e.Type() == "error");
        await AssertSessionStillWorksAsync(client, model);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Invalid_utf8_in_a_text_frame_closes_with_1007_as_RFC_6455_requires(string model)
    {
        await using var client = await ConnectAsync(model);
        await client.SendBytesAsync([(byte)'{', 0xC3, 0x28, (byte)'}']);
        var (status, _, _) = await client.WaitForCloseAsync(Wait);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
    }

    private readonly Dictionary<RealtimeTestClient, string> _sessionIds = [];

    private async Task<RealtimeTestClient> ConnectAsync(string model)
    {
        var client = await platform.ConnectAsync(model);
        _sessionIds[client] = (await client.ExpectAsync("session.created", Wait)).GetProperty("session").Str("id");
        return client;
    }

    private async Task AssertSessionStillWorksAsync(RealtimeTestClient client, string model)
    {
        await RealtimeConversationTests.SendUserTextAsync(client, "still here");
        var events = new List<JsonElement>();
        try
        {
            while (events.Count == 0 || events[^1].Type() != "response.done") events.Add(await client.NextAsync(Wait));
        }
        catch (OperationCanceledException e)
        {
            // Name what the session did instead, to tell a wedged session from a slow one.
            throw new Xunit.Sdk.XunitException($"No response.done within {Wait.TotalSeconds:0} s of the check turn ({model} session {_sessionIds.GetValueOrDefault(client)}, "
                + $"platform log {platform.LogPath}); the session sent " +
                $"{events.Count} events: {string.Join(", ", events.Select(ev => ev.Type() == "error" ? "error " + ev.GetProperty("error").GetRawText() : ev.Type()))}"
                + $"\nits platform log lines:\n{SessionLogLines(_sessionIds.GetValueOrDefault(client))}", e);
        }
        Assert.Equal("Echo: still here", events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
    }

    /// <summary>The last platform log lines naming the session: what CI prints when a check turn goes unanswered.</summary>
    private string SessionLogLines(string? sessionId)
    {
        if (sessionId is null || !File.Exists(platform.LogPath)) return "(none)";
        using var log = new FileStream(platform.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(log);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) if (line.Contains(sessionId, StringComparison.Ordinal)) lines.Add(line);
        return string.Join("\n", lines.TakeLast(60));
    }

    private Dictionary<string, int> ProcessIds() => platform.ProcessIds();

    /// <summary>The Gateway's resident memory once it stops falling (the GC runs on its own schedule).</summary>
    private async Task<long> SettledGatewayMemoryAsync()
    {
        var pid = platform.ProcessId("gateway");
        long Resident() => long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        var last = Resident();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 10 && await timer.WaitForNextTickAsync(); i++)
        {
            var now = Resident();
            if (now >= last) return now;
            last = now;
        }
        return last;
    }
}
