using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>What <see cref="GeminiModelOutput"/> needs from its session.</summary>
internal interface IGeminiModelOutputOwner
{
    /// <summary>The session as the client configured it (a new response copies its output settings).</summary>
    RealtimeSessionConfig Config { get; }

    /// <summary>Runs <paramref name="action"/> under the session's gate unless the session has ended (a timer's work).</summary>
    ValueTask UnderGateAsync(Func<ValueTask> action);

    /// <summary>Model output began: the user's transcription so far is complete.</summary>
    ValueTask CompleteInputTranscriptionAsync();

    /// <summary>Gemini's barge-in cut a response: the client must hear the user's speech start (if it has not yet).</summary>
    ValueTask InterruptedAsync();

    /// <summary>A response ended complete: the spoken turn it answered needs no second answer.</summary>
    void SpokenTurnAnswered();

    /// <summary>A response.done went out and nothing is deferred: a connection switch may be due now.</summary>
    ValueTask ResponseSettledAsync();
}
