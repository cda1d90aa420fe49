using System.Text.Json;
using System.Threading.Channels;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Tools;

/// <summary>A provider session that records the client events it is given (as the layer passes them on).</summary>
internal sealed class FakeProviderSession : IProviderSession
{
    private readonly Channel<JsonElement> _sent = Channel.CreateUnbounded<JsonElement>();
    private readonly TaskCompletionSource _completion = new();

    public int AudioFrames { get; private set; }

    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm16, int sampleRate, string? eventId, CancellationToken cancellationToken)
    {
        AudioFrames++;
        return ValueTask.CompletedTask;
    }

    public ValueTask SendEventAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        _sent.Writer.TryWrite(JsonDocument.Parse(json).RootElement.Clone());
        return ValueTask.CompletedTask;
    }

    public Task Completion => _completion.Task;

    public async Task<JsonElement> NextSentAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await _sent.Reader.ReadAsync(cts.Token);
    }

    public List<JsonElement> DrainSent()
    {
        var all = new List<JsonElement>();
        while (_sent.Reader.TryRead(out var e)) all.Add(e);
        return all;
    }

    public ValueTask DisposeAsync()
    {
        _completion.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
