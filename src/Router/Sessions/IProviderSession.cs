namespace VoicePlatform.Router.Sessions;

/// <summary>One live provider session, driven by canonical client events.</summary>
public interface IProviderSession : IAsyncDisposable
{
    /// <summary>
    /// input_audio_buffer.append: PCM16 LE mono at <paramref name="sampleRate"/>. Called from one reader loop, in order.
    /// <paramref name="inputSeq"/> is the Gateway's sequence number of the client frame (0 for input that did not come
    /// from the client), so a connector can tie provider state to client input (e.g. what a Gemini handle covers).
    /// </summary>
    ValueTask SendAudioAsync(ulong inputSeq, ReadOnlyMemory<byte> pcm16, int sampleRate, string? eventId, CancellationToken cancellationToken);

    /// <summary>
    /// Any other client event as canonical JSON (OpenAI Realtime GA shape, validated by the Gateway for shape;
    /// semantic errors — unknown item ids, a second active response — are the connector's to report as
    /// <c>error</c> events carrying the client's event_id).
    /// </summary>
    /// <param name="inputSeq">The client frame's Gateway sequence number; 0 for events the platform itself sends (server tools, route defaults, re-asks).</param>
    ValueTask SendEventAsync(ulong inputSeq, ReadOnlyMemory<byte> json, CancellationToken cancellationToken);

    /// <summary>Completes when the provider side has ended (after the connector called <see cref="ISessionEventSink.EndAsync"/>).</summary>
    Task Completion { get; }
}
