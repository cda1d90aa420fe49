namespace VoicePlatform.Router.Sessions;

/// <summary>
/// Where a provider session sends canonical server events (towards the Gateway). Implementations copy what they
/// are given, so callers may reuse their buffers after each call returns. Safe to call from several threads.
/// </summary>
public interface ISessionEventSink
{
    /// <summary>response.output_audio.delta, with the audio as PCM16 LE mono.</summary>
    ValueTask AudioDeltaAsync(OutputAudioRef audio, ReadOnlyMemory<byte> pcm16, int sampleRate, CancellationToken cancellationToken);

    /// <summary>Any other server event: a complete JSON object with <c>type</c> and <c>event_id</c>, and that type.</summary>
    ValueTask EventAsync(CanonicalEvent serverEvent, CancellationToken cancellationToken);

    /// <summary>The provider session is over; <paramref name="closeStatus"/> is the WebSocket status the client should get.</summary>
    ValueTask EndAsync(int closeStatus, string reason, CancellationToken cancellationToken);
}

/// <summary>The ids an audio delta belongs to.</summary>
public readonly record struct OutputAudioRef(string ResponseId, string ItemId, int OutputIndex, int ContentIndex);
