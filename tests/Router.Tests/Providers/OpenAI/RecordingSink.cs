using System.Text.Json;
using System.Threading.Channels;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Providers.OpenAI;

/// <summary>Collects what a connector emits, in order: JSON events, audio deltas and the end.</summary>
internal sealed class RecordingSink : ISessionEventSink
{
    private readonly Channel<Emitted> _emitted = Channel.CreateUnbounded<Emitted>();

    public ValueTask AudioDeltaAsync(OutputAudioRef audio, ReadOnlyMemory<byte> pcm16, int sampleRate, CancellationToken cancellationToken)
    {
        _emitted.Writer.TryWrite(new Emitted("response.output_audio.delta", default, audio, pcm16.ToArray(), sampleRate, null, null));
        return ValueTask.CompletedTask;
    }

    public ValueTask EventAsync(CanonicalEvent serverEvent, CancellationToken cancellationToken)
    {
        var element = JsonDocument.Parse(serverEvent.Json).RootElement.Clone();
        var type = element.GetProperty("type").GetString()!;
        // The type the session read once is what every layer after it switches on: it must be the event's.
        if (serverEvent.Type != type) throw new InvalidOperationException($"event {type} was passed on as '{serverEvent.Type}'");
        _emitted.Writer.TryWrite(new Emitted(type, element, default, null, 0, null, null));
        return ValueTask.CompletedTask;
    }

    public ValueTask EndAsync(int closeStatus, string reason, CancellationToken cancellationToken)
    {
        _emitted.Writer.TryWrite(new Emitted("(end)", default, default, null, 0, closeStatus, reason));
        return ValueTask.CompletedTask;
    }

    public async Task<Emitted> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        return await _emitted.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Everything emitted so far that was not read yet, without waiting.</summary>
    public List<Emitted> Drain()
    {
        var all = new List<Emitted>();
        while (_emitted.Reader.TryRead(out var next)) all.Add(next);
        return all;
    }

    public async Task<List<Emitted>> CollectUntilAsync(string type, TimeSpan? timeout = null)
    {
        var all = new List<Emitted>();
        while (true)
        {
            var next = await NextAsync(timeout);
            all.Add(next);
            if (next.Type == type) return all;
        }
    }

    internal sealed record Emitted(string Type, JsonElement Json, OutputAudioRef Audio, byte[]? Pcm, int SampleRate, int? CloseStatus, string? Reason);
}
