using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Continuity;

/// <summary>
/// A client that streams microphone-like audio at real-time pace for a long time — low noise, with spoken bursts —
/// while a script of episodes (spoken turns, text turns, tool calls, barge-ins) runs on top. It keeps every byte it
/// sent and every event it got, so a test can compare them with what the provider's emulator recorded.
/// </summary>
internal sealed partial class ContinuousConversation : IAsyncDisposable
{
    public const int SampleRate = 24000;
    private const int FrameMs = 20;
    private const int FrameSamples = SampleRate * FrameMs / 1000;
    private const int SpeechMs = 400;
    private static readonly TimeSpan LateFrame = TimeSpan.FromMilliseconds(200);
    // About 6 s of reply audio at the soak's 10 ms per character: room for the barge-in (a 400 ms tone the VAD must
    // detect, possibly across a rollover) to land while the reply still plays, even on a loaded CI machine.
    private const string LongText =
        "this reply is long on purpose so that the caller can talk over it while it is still being spoken, "
        + "which is what a barge in looks like in a real call, and the platform must cancel it cleanly; "
        + "it goes on and on about the weather, the sea, the waves and the wind, the boats in the harbour, the gulls "
        + "above the pier, the lighthouse keeper counting the waves, and the long quiet evenings by the shore, "
        + "so that nobody could mistake it for a short answer that finished before anyone had a chance to interrupt it";

    private readonly RealtimeTestClient _client;
    private readonly List<JsonElement> _events = [];
    private readonly ConcurrentQueue<Func<Task>> _reactions = new();
    private readonly MemoryStream _sent = new();
    private readonly Task _collector;
    private readonly CancellationTokenSource _stop = new();
    private long _sample;
    private int _toneSamplesLeft;
    private bool _interruptNextResponse;
    private string? _responseToInterrupt;
    private int _endedResponses;
    private readonly ConcurrentQueue<string> _timeline = new();
    private readonly HashSet<string> _audioSeen = [];

    private ContinuousConversation(RealtimeTestClient client)
    {
        _client = client;
        _collector = Task.Run(CollectAsync);
    }

    /// <summary>What the script expects, in order: one entry per response the provider should complete or cancel.</summary>
    public List<ExpectedResponse> Expected { get; } = [];

    public int SpokenTurns { get; private set; }

    public byte[] SentAudio => _sent.ToArray();

    /// <summary>
    /// What the client did and saw when (UTC time of day, to set beside the platform's log): episodes, tones, and each
    /// response's creation, first audio and end. A failing soak prints it.
    /// </summary>
    public string Timeline => string.Join(Environment.NewLine, _timeline);

    private void Note(string what) => _timeline.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} client: {what}");

    public List<JsonElement> Events
    {
        get
        {
            lock (_events) return [.. _events];
        }
    }

    public static async Task<ContinuousConversation> StartAsync(Uri uri, string key)
    {
        var client = await RealtimeTestClient.ConnectAsync(uri, key);
        await client.ExpectAsync("session.created", TimeSpan.FromSeconds(30));
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "realtime",
                audio = new
                {
                    input = new
                    {
                        transcription = new { model = "gpt-4o-transcribe" },
                        turn_detection = new { type = "server_vad", silence_duration_ms = 200, prefix_padding_ms = 100 },
                    },
                },
                tools = new[]
                {
                    new
                    {
                        type = "function", name = "lookup", description = "Looks a city up.",
                        parameters = new { type = "object", properties = new { city = new { type = "string" } } },
                    },
                },
            },
        });
        await client.ExpectAsync("session.updated", TimeSpan.FromSeconds(30));
        return new ContinuousConversation(client);
    }

    /// <summary>Streams for <paramref name="duration"/>, starting an episode every <paramref name="episodeEvery"/>.</summary>
    public async Task RunAsync(TimeSpan duration, TimeSpan episodeEvery)
    {
        var frame = new byte[FrameSamples * 2];
        var clock = Stopwatch.StartNew();
        var nextEpisode = TimeSpan.FromSeconds(1.5);
        var episode = 0;
        var wasLate = false;
        for (var n = 0; clock.Elapsed < duration; n++)
        {
            var due = TimeSpan.FromMilliseconds(n * FrameMs);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            var late = clock.Elapsed - due;
            if (late > LateFrame && !wasLate)
            {
                Note($"microphone {late.TotalMilliseconds:F0} ms late (thread pool: {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} items queued)");
            }

            wasLate = late > LateFrame;

            FillFrame(frame);
            _sent.Write(frame);
            await _client.AppendAsync(frame);

            while (_reactions.TryDequeue(out var reaction)) await reaction();
            // Like any well-behaved client, the script starts a turn only once every answer it is owed has ended (the
            // protocol refuses a response.create while one is active); a rollover may hold an answer back for a while.
            if (clock.Elapsed >= nextEpisode && clock.Elapsed < duration - TimeSpan.FromSeconds(3) && Volatile.Read(ref _endedResponses) >= Expected.Count)
            {
                await StartEpisodeAsync(episode++);
                // A deferred episode does not make the next one follow on its heels.
                nextEpisode = TimeSpan.FromTicks(Math.Max((nextEpisode + episodeEvery).Ticks, (clock.Elapsed + episodeEvery / 2).Ticks));
            }
        }
    }

    /// <summary>Waits until every expected response has ended (or <paramref name="timeout"/>), then a little more.</summary>
    public async Task SettleAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && Responses().Count(r => r.Status is "completed" or "cancelled") < Expected.Count)
        {
            await Task.Delay(200);
            while (_reactions.TryDequeue(out var reaction)) await reaction();
        }
        await Task.Delay(1500);
    }

    private async Task StartEpisodeAsync(int number)
    {
        Note($"episode {number}");
        switch (number % 4)
        {
            case 0:
                Speak();
                break;
            case 1:
                Expected.Add(new ExpectedResponse("completed", $"Echo: turn {number}"));
                await SendUserTextAsync($"turn {number}");
                break;
            case 2:
                Expected.Add(new ExpectedResponse("completed", null, FunctionCall: "lookup"));
                Expected.Add(new ExpectedResponse("completed", $$"""Tool lookup returned: {"temperature":{{number}}}"""));
                await SendUserTextAsync($$"""call lookup {"city":"Paris {{number}}"}""");
                break;
            default:
                // The reply to this is interrupted by speech as soon as its audio starts (see CollectAsync).
                Expected.Add(new ExpectedResponse("cancelled", null));
                _interruptNextResponse = true;
                await SendUserTextAsync(LongText);
                break;
        }
    }

    private void Speak()
    {
        Note("tone starts");
        SpokenTurns++;
        Expected.Add(new ExpectedResponse("completed", "spoken"));
        _toneSamplesLeft = SpeechMs * SampleRate / 1000;
    }

    private async Task SendUserTextAsync(string text)
    {
        await _client.SendAsync(new
        {
            type = "conversation.item.create",
            item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } },
        });
        await _client.SendAsync(new { type = "response.create" });
    }

    /// <summary>Low noise everywhere (so every frame is distinct and a misplaced frame shows), a voiced tone while speaking.</summary>
    private void FillFrame(byte[] frame)
    {
        for (var i = 0; i < FrameSamples; i++, _sample++)
        {
            var noise = (int)(Mix((ulong)_sample) % 129) - 64; // about -60 dBFS: below every VAD threshold
            var value = noise;
            if (_toneSamplesLeft > 0)
            {
                _toneSamplesLeft--;
                var t = _sample / (double)SampleRate;
                value += (int)(8000 * (0.7 * Math.Sin(2 * Math.PI * 220 * t) + 0.3 * Math.Sin(2 * Math.PI * 440 * t)));
            }
            var sample = (short)Math.Clamp(value, short.MinValue, short.MaxValue);
            frame[2 * i] = (byte)sample;
            frame[2 * i + 1] = (byte)(sample >> 8);
        }
    }

    private static ulong Mix(ulong x)
    {
        // splitmix64: a deterministic, well-spread sequence from the sample index.
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private async Task CollectAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            JsonElement e;
            try
            {
                e = await _client.NextAsync(TimeSpan.FromMinutes(10));
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (InvalidOperationException)
            {
                return; // socket closed: the assertions will say so
            }
            lock (_events) _events.Add(e);
            React(e);
        }
    }

    private void React(JsonElement e)
    {
        switch (e.Type())
        {
            case "response.created":
                Note($"response.created {e.GetProperty("response").Str("id")}");
                break;
            case "response.output_audio.delta" when _audioSeen.Add(e.Str("response_id")):
                Note($"first audio of {e.Str("response_id")}");
                break;
            case "input_audio_buffer.speech_started" or "input_audio_buffer.speech_stopped":
                Note($"{e.Type()} {e.Str("item_id")}");
                break;
        }

        switch (e.Type())
        {
            case "response.created" when _interruptNextResponse:
                _interruptNextResponse = false;
                _responseToInterrupt = e.GetProperty("response").Str("id");
                break;
            case "response.output_audio.delta" when _responseToInterrupt is { } id && e.Str("response_id") == id:
                _responseToInterrupt = null;
                _reactions.Enqueue(() =>
                {
                    Speak();
                    return Task.CompletedTask;
                });
                break;
            case "response.done":
                Note($"response.done {e.GetProperty("response").Str("id")} {e.GetProperty("response").Str("status")}");
                Interlocked.Increment(ref _endedResponses);
                foreach (var item in e.GetProperty("response").GetProperty("output").EnumerateArray())
                {
                    if (item.Str("type") != "function_call") continue;
                    var callId = item.Str("call_id");
                    var number = int.Parse(CallNumber().Match(item.Str("arguments")).Value, System.Globalization.CultureInfo.InvariantCulture);
                    _reactions.Enqueue(async () =>
                    {
                        await _client.SendAsync(new
                        {
                            type = "conversation.item.create",
                            item = new { type = "function_call_output", call_id = callId, output = $$"""{"temperature":{{number}}}""" },
                        });
                        await _client.SendAsync(new { type = "response.create" });
                    });
                }
                break;
        }
    }

    /// <summary>Every response the client saw, in order of response.created, with what arrived for it.</summary>
    public List<ObservedResponse> Responses()
    {
        var events = Events;
        var responses = new List<ObservedResponse>();
        var byId = new Dictionary<string, ObservedResponse>();
        foreach (var e in events)
        {
            var type = e.Type();
            if (type == "response.created")
            {
                var r = new ObservedResponse(e.GetProperty("response").Str("id"));
                responses.Add(r);
                byId[r.Id] = r;
                continue;
            }
            if (!e.TryGetProperty("response_id", out var rid) && type != "response.done") continue;
            var id = type == "response.done" ? e.GetProperty("response").Str("id") : rid.GetString()!;
            if (!byId.TryGetValue(id, out var response)) continue;
            switch (type)
            {
                case "response.output_audio.delta":
                    response.AudioBytes += Convert.FromBase64String(e.Str("delta")).Length;
                    break;
                case "response.output_audio_transcript.delta":
                    response.TranscriptDeltas.Append(e.Str("delta"));
                    break;
                case "response.output_audio_transcript.done":
                    response.Transcript = e.Str("transcript");
                    break;
                case "response.done":
                    var body = e.GetProperty("response");
                    response.Status = body.Str("status");
                    response.FunctionCalls.AddRange(body.GetProperty("output").EnumerateArray()
                        .Where(i => i.Str("type") == "function_call").Select(i => i.Str("name")));
                    break;
            }
        }
        return responses;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _client.DisposeAsync();
        try
        {
            await _collector.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // The collector ends with the socket.
        }
        _sent.Dispose();
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex CallNumber();
}

/// <summary>A response the script expects: its final status and transcript ("spoken" = the reply to a spoken turn).</summary>
internal sealed record ExpectedResponse(string Status, string? Transcript, string? FunctionCall = null);

internal sealed class ObservedResponse(string id)
{
    public string Id { get; } = id;
    public string? Status { get; set; }
    public string? Transcript { get; set; }
    public System.Text.StringBuilder TranscriptDeltas { get; } = new();
    public long AudioBytes { get; set; }
    public List<string> FunctionCalls { get; } = [];

    public override string ToString() => $"{Id} {Status} [{string.Join(",", FunctionCalls)}] \"{Transcript}\" {AudioBytes} B";
}
