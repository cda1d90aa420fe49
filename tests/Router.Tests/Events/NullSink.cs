using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Events;

/// <summary>The Gateway side of the chain when only what the recorder publishes matters.</summary>
internal sealed class NullSink : ISessionEventSink
{
    public int Events { get; private set; }

    public ValueTask AudioDeltaAsync(OutputAudioRef audio, ReadOnlyMemory<byte> pcm16, int sampleRate, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask EventAsync(CanonicalEvent serverEvent, CancellationToken cancellationToken)
    {
        Events++;
        return ValueTask.CompletedTask;
    }

    public ValueTask EndAsync(int closeStatus, string reason, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
