namespace VoicePlatform.Contracts.Events.Quality;

/// <summary>
/// Published by the Gateway for every response it relayed, once the response is settled (its playback ended, the
/// next turn began, or the session ended). All times are on the session timeline: milliseconds since the client's
/// socket opened, as the Gateway saw it. <paramref name="EventId"/> is derived from the session and response ids.
/// </summary>
/// <param name="Trigger">
/// What ended the user's turn this response answers: <c>server_vad</c> (<c>input_audio_buffer.speech_stopped</c>),
/// <c>commit</c> (the client's <c>input_audio_buffer.commit</c>), <c>response_create</c> (the client's
/// <c>response.create</c>), or <c>none</c> when the response answered no pending turn (e.g. a greeting).
/// </param>
/// <param name="TurnEndMs">When the user's turn ended; null when <paramref name="Trigger"/> is <c>none</c>.</param>
/// <param name="ResponseLatencyMs">
/// Turn end → first <c>response.output_audio.delta</c> written to the client's socket (TTFA); null when the response
/// played no audio or answered no turn. A tool-call response plays no audio: the turn stays pending and the follow-up
/// response's latency includes the tool's time, as the caller heard it.
/// </param>
/// <param name="FirstTextLatencyMs">Turn end → first transcript or text delta written to the client.</param>
/// <param name="Status">The response's final status: <c>completed</c>, <c>cancelled</c>, <c>failed</c>, <c>incomplete</c>.</param>
/// <param name="AudioOutMs">Audio the response sent to the client, in milliseconds of audio.</param>
/// <param name="Interrupted">The user started speaking while this response's audio was playing (barge-in).</param>
/// <param name="InterruptedAfterMs">How far into the response's playback the barge-in came.</param>
/// <param name="MaxStallMs">
/// The longest time the client's playback ran dry inside the response: a chunk that arrived after everything before it
/// would have finished playing at real-time pace, by how much.
/// </param>
/// <param name="Items">The response's audio items, with when each played.</param>
/// <param name="ConnectionOpenedAt">
/// When this client connection opened (wall clock): the zero of its timeline. A resumed session has one timeline per
/// connection; a consumer lines them up by this.
/// </param>
/// <param name="UserSpeech">
/// The user's speech this response answers (server VAD), from its onset to where it fell silent, on the same timeline;
/// null when the turn was not spoken or could not be placed (e.g. after a Router failover).
/// </param>
public sealed record TurnMeasured(
    Guid EventId,
    Guid TenantId,
    string SessionId,
    QualityDimensions Dimensions,
    string ResponseId,
    DateTimeOffset OccurredAt,
    string Trigger,
    long? TurnEndMs,
    long? ResponseLatencyMs,
    long? FirstTextLatencyMs,
    string Status,
    long AudioOutMs,
    bool Interrupted,
    long? InterruptedAfterMs,
    long MaxStallMs,
    IReadOnlyList<ItemPlayback> Items,
    DateTimeOffset? ConnectionOpenedAt = null,
    ItemPlayback? UserSpeech = null);
