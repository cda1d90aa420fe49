using System.Text;
using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Tests.Routing.Fallback;

/// <summary>A provider session driven by the test: what the client handed it, and the provider's side on demand.</summary>
internal sealed class ScriptedProviderSession(string model, ISessionEventSink sink, SessionResumeState? resume) : IProviderSession
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Model { get; } = model;

    public SessionResumeState? Resume { get; } = resume;

    /// <summary>Client frames as text (<c>audio:&lt;bytes&gt;</c> for audio).</summary>
    public List<string> Received { get; } = [];

    /// <summary>When set, the next frame handed to it throws this (the connection broke under it).</summary>
    public Exception? BreakNextSend { get; set; }

    public bool Disposed { get; private set; }

    public Task Completion => _completion.Task;

    public ValueTask SendAudioAsync(ulong inputSeq, ReadOnlyMemory<byte> pcm16, int sampleRate, string? eventId, CancellationToken cancellationToken) =>
        Take($"audio:{pcm16.Length}");

    public ValueTask SendEventAsync(ulong inputSeq, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) => Take(Encoding.UTF8.GetString(json.Span));

    private ValueTask Take(string frame)
    {
        if (BreakNextSend is { } broken)
        {
            BreakNextSend = null;
            return ValueTask.FromException(broken);
        }
        lock (Received) Received.Add(frame);
        return ValueTask.CompletedTask;
    }

    public ValueTask EmitAsync(string json) => sink.EventAsync(CanonicalEvent.Read(Encoding.UTF8.GetBytes(json)), CancellationToken.None);

    /// <summary>The provider's way of failing: an error event, then the close, then the session is over.</summary>
    public async Task FailAsync(string code, int closeStatus = RealtimeCloseCodes.InternalError)
    {
        await sink.EventAsync(CanonicalEvent.Of(new RealtimeErrorEvent(code, code, $"failed: {code}")), CancellationToken.None);
        await EndAsync(closeStatus, code);
    }

    public async Task EndAsync(int closeStatus, string reason)
    {
        await sink.EndAsync(closeStatus, reason, CancellationToken.None);
        _completion.TrySetResult();
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        _completion.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
