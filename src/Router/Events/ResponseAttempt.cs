using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Events;

/// <summary>
/// What a session's response-level records say about where they come from: the attempt this Router drives the session
/// under (the lease's fencing token, growing with every Router that takes the session) and the client request each
/// response answers. A Router that later takes the session and is asked a request again voids the records of earlier
/// attempts for it (<see cref="VoicePlatform.Contracts.Events.ResponsesDiscarded"/>).
/// </summary>
public sealed class ResponseAttempt(long attempt, ResponseRequests requests)
{
    public long Attempt => attempt;

    /// <summary>The request <paramref name="responseId"/> answers (null: the server started it).</summary>
    public long? RequestOf(string responseId) => requests.RequestOf(responseId) is { } seq ? (long)seq : null;
}
