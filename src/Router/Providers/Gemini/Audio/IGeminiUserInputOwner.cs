using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>What <see cref="GeminiUserInput"/> needs from its session.</summary>
internal interface IGeminiUserInputOwner
{
    /// <summary>The session as the client configured it (server VAD or manual turns).</summary>
    RealtimeSessionConfig Config { get; }

    /// <summary>The user starts to speak: text items waiting for a response.create go into Gemini's context now.</summary>
    ValueTask UserTurnStartingAsync();

    /// <summary>The user's previous transcription is complete (a new speech item starts).</summary>
    ValueTask CompleteInputTranscriptionAsync();

    /// <summary>The user's turn ended where Gemini's VAD answers it: a reply is due.</summary>
    void ReplyExpected();

    /// <summary>A connection switch waits for a safe point.</summary>
    bool SwitchPending { get; }

    /// <summary>Audio went up: a pending connection switch may go ahead now.</summary>
    ValueTask SwitchMayBeDueAsync();
}
