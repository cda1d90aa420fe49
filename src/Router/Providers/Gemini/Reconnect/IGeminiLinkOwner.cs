using VoicePlatform.RealtimeProtocol;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>What a <see cref="GeminiLink"/> needs from its session: the session's side of a connection and of a switch.</summary>
internal interface IGeminiLinkOwner
{
    /// <summary>The session is over: a switch that finishes now does nothing.</summary>
    bool Ended { get; }

    /// <summary>A message from the current connection (the reader loop's callback).</summary>
    ValueTask OnMessageAsync(GeminiConnection connection, ReadOnlyMemory<byte> message);

    /// <summary>A connection ended (the reader loop's callback).</summary>
    ValueTask OnClosedAsync(GeminiConnection connection, UpstreamClose close);

    /// <summary>The new connection runs <paramref name="target"/>.</summary>
    void ConfigApplied(RealtimeSessionConfig target);

    /// <summary>The link asked Gemini to answer (a lost reply asked for again): a reply is due.</summary>
    void ReplyExpected();

    /// <summary>The last conversation item Gemini has (what a handle issued now covers).</summary>
    string? CoveredItemId();

    /// <summary>No new connection could be had: the session ends. Caller holds the gate.</summary>
    ValueTask SwitchFailedAsync(ProviderConnectException failure);

    /// <summary>The switch is over and client input flows again: another may be due. Caller holds the gate.</summary>
    ValueTask SwitchedAsync();
}
