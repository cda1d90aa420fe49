using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>What <see cref="OpenAIRollover"/> needs of its session: connections, the session's writers, and its end.</summary>
internal interface IOpenAIRolloverHost
{
    /// <summary>Opens a connection (nothing is read from it yet).</summary>
    Task<OpenAIUpstream> ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Starts the connection's reader (after it was proposed as the candidate, so its session.created is seen).</summary>
    void StartReading(OpenAIUpstream upstream);

    Task WaitForCreatedAsync(OpenAIUpstream upstream, CancellationToken cancellationToken);

    /// <summary>Gives a fresh connection the session's configuration and conversation (see <see cref="OpenAIConnectionRebuilder"/>).</summary>
    Task RebuildAsync(OpenAIUpstream upstream, CancellationToken cancellationToken);

    /// <summary>Sends the held client frames to <paramref name="upstream"/>, in order. Callers hold the send lock.</summary>
    Task FlushHeldAsync(OpenAIUpstream upstream, CancellationToken cancellationToken);

    /// <summary>One input_audio_buffer.append of 24 kHz PCM. Callers hold the send lock.</summary>
    ValueTask AppendUpstreamAsync(OpenAIUpstream upstream, ReadOnlyMemory<byte> audio, CancellationToken cancellationToken);

    /// <summary>An event id of the connector's own (fence, cancel), never the client's.</summary>
    string NextEventId(string what);

    /// <summary>The session ended (its end was reported).</summary>
    bool Ended { get; }

    ValueTask EndSessionAsync(int status, string reason);

    /// <summary>An event for the client (the cap error a failed rollover no longer keeps back).</summary>
    ValueTask ForwardAsync(CanonicalEvent serverEvent);
}
