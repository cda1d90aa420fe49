namespace VoicePlatform.Router.Sessions;

/// <summary>Passes server events on and lets <see cref="InputAcknowledgement"/> see them (VAD and commits move the ack line).</summary>
public sealed class AcknowledgingSink(ISessionEventSink inner, InputAcknowledgement acknowledgement) : ISessionEventSink
{
    public ValueTask AudioDeltaAsync(OutputAudioRef audio, ReadOnlyMemory<byte> pcm16, int sampleRate, CancellationToken cancellationToken) =>
        inner.AudioDeltaAsync(audio, pcm16, sampleRate, cancellationToken);

    public ValueTask EventAsync(CanonicalEvent serverEvent, CancellationToken cancellationToken)
    {
        acknowledgement.Observe(serverEvent);
        return inner.EventAsync(serverEvent, cancellationToken);
    }

    public ValueTask EndAsync(int closeStatus, string reason, CancellationToken cancellationToken) =>
        inner.EndAsync(closeStatus, reason, cancellationToken);
}
