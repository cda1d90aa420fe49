using VoicePlatform.RealtimeProtocol;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// How one connection switch goes: decided when it starts (at a safe point, under the session's gate) and carried out
/// once the new connection is open.
/// </summary>
/// <param name="Number">The new connection's number in the session (1 is the first).</param>
/// <param name="Reason">Why (goAway, session.update, a close): for the log and the session's quality record.</param>
/// <param name="Target">The configuration the new connection is set up with.</param>
/// <param name="Handle">The resumption handle to resume with; null: a fresh setup.</param>
/// <param name="Replay">Client messages the old connection took after the handle's state, sent again on resume.</param>
/// <param name="Seed">What Gemini had had, to rebuild its context if the connection cannot resume; null: nothing yet.</param>
/// <param name="Reanswer">A reply was lost with the old connection: the new one is asked for it again.</param>
/// <param name="ResendAudio">
/// If the connection has to start afresh, the replayed audio goes up again: all of the user's turn in progress (the
/// history has only finished turns; <paramref name="ResendAllAudio"/>), or, before the first turn, the newest
/// <see cref="InputAcknowledgement.IdleKeep"/> of it — older audio outside a turn can no longer become part of one.
/// </param>
/// <param name="SpokenTurn">
/// The audio of the spoken turn whose reply was lost, or of the turn in progress when nothing is kept for replay (see
/// <see cref="SpokenTurnAudio"/>).
/// </param>
internal sealed record GeminiSwitchPlan(
    int Number,
    string Reason,
    RealtimeSessionConfig Target,
    string? Handle,
    List<byte[]> Replay,
    List<ConversationItem>? Seed,
    bool Reanswer,
    bool ResendAudio,
    bool ResendAllAudio,
    RespokenTurn? SpokenTurn)
{
    /// <summary>
    /// A switch forced by the provider (its goAway, or a connection it closed) is a continuity event for the session's
    /// quality record (<c>provider_rollover</c>, <c>provider_reconnect</c>); one the client asked for (a setup change)
    /// is not (null).
    /// </summary>
    public string? ContinuityKind =>
        Reason.Contains("goAway", StringComparison.Ordinal) ? "provider_rollover"
        : Reason.Contains("closed", StringComparison.Ordinal) ? "provider_reconnect"
        : null;
}
