using System.Text.Json;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>One server event as the sink saw it; audio deltas appear in the same sequence with their PCM.</summary>
public sealed record RecordedEvent(int Index, string Type, JsonElement Json, byte[]? Audio = null, OutputAudioRef? AudioRef = null, int SampleRate = 0)
{
    public string? Str(params string[] path)
    {
        var e = Get(path);
        return e is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
    }

    public JsonElement? Get(params string[] path)
    {
        var e = Json;
        foreach (var p in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e))
            {
                return null;
            }
        }

        return e;
    }

    public override string ToString() => Audio is null ? Json.GetRawText() : $"[audio delta {Audio.Length} bytes]";
}

/// <summary>Collects what the connector emits, in order, and lets tests wait for events.</summary>
public sealed class RecordingSink : ISessionEventSink
{
    private readonly Lock _lock = new();
    private readonly List<RecordedEvent> _events = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<(int Status, string Reason)> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<(int Status, string Reason)> Ended => _end.Task;

    public IReadOnlyList<RecordedEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public ValueTask AudioDeltaAsync(OutputAudioRef audio, ReadOnlyMemory<byte> pcm16, int sampleRate, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToElement(new
        {
            type = "response.output_audio.delta",
            response_id = audio.ResponseId,
            item_id = audio.ItemId,
            output_index = audio.OutputIndex,
            content_index = audio.ContentIndex,
        });
        Add(index => new RecordedEvent(index, "response.output_audio.delta", json, pcm16.ToArray(), audio, sampleRate));
        return ValueTask.CompletedTask;
    }

    public ValueTask EventAsync(CanonicalEvent serverEvent, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(serverEvent.Json);
        var root = document.RootElement.Clone();
        var type = root.GetProperty("type").GetString()!;
        // The type the session read once is what every layer after it switches on: it must be the event's.
        if (serverEvent.Type != type) throw new InvalidOperationException($"event {type} was passed on as '{serverEvent.Type}'");
        Add(index => new RecordedEvent(index, type, root));
        return ValueTask.CompletedTask;
    }

    public ValueTask EndAsync(int closeStatus, string reason, CancellationToken cancellationToken)
    {
        _end.TrySetResult((closeStatus, reason));
        Signal();
        return ValueTask.CompletedTask;
    }

    private void Add(Func<int, RecordedEvent> create)
    {
        lock (_lock)
        {
            _events.Add(create(_events.Count));
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>The first event at or after <paramref name="from"/> matching <paramref name="predicate"/>.</summary>
    public async Task<RecordedEvent> WaitForAsync(Func<RecordedEvent, bool> predicate, int from = 0, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                for (var i = from; i < _events.Count; i++)
                {
                    if (predicate(_events[i]))
                    {
                        return _events[i];
                    }
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching event after index {from}. Events:\n{Dump(from)}");
            }
        }
    }

    public Task<RecordedEvent> WaitForAsync(string type, int from = 0, TimeSpan? timeout = null) =>
        WaitForAsync(e => e.Type == type, from, timeout);

    public string Dump(int from = 0) =>
        string.Join("\n", Events.Skip(from).Where(e => e.Audio is null || e.Index == from).Select(e => $"{e.Index}: {Shorten(e)}"));

    private static string Shorten(RecordedEvent e)
    {
        var text = e.ToString();
        return text.Length > 400 ? text[..400] + "…" : text;
    }

    /// <summary>Event types from <paramref name="from"/> on, with runs of audio/transcript deltas collapsed to one entry.</summary>
    public List<string> Sequence(int from = 0, int? to = null)
    {
        var result = new List<string>();
        foreach (var e in Events.Skip(from).Take((to ?? int.MaxValue) - from))
        {
            if (e.Type is "response.output_audio.delta" or "response.output_audio_transcript.delta"
                && result.Count > 0 && result[^1] is "response.output_audio.delta" or "response.output_audio_transcript.delta" or "deltas")
            {
                result[^1] = "deltas";
                continue;
            }

            result.Add(e.Type);
        }

        return result;
    }
}
