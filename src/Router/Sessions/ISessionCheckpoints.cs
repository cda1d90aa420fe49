namespace VoicePlatform.Router.Sessions;

/// <summary>Provider-specific state a connector hands to the session checkpoint (written to Redis at the next checkpoint).</summary>
public interface ISessionCheckpoints
{
    void SetProviderState(string name, string value);

    /// <summary>
    /// The words of a user audio item that the client did not ask to see (its transcription is off): not an event the
    /// client gets, but a context rebuilt from history needs them, or the model forgets what the user said.
    /// </summary>
    void RecordTranscript(string itemId, int contentIndex, string transcript);
}

/// <summary>Checkpoints that go nowhere (sessions run without continuity, e.g. in connector tests).</summary>
public sealed class SessionCheckpoints : ISessionCheckpoints
{
    public static readonly ISessionCheckpoints None = new SessionCheckpoints();

    private SessionCheckpoints()
    {
    }

    public void SetProviderState(string name, string value)
    {
    }

    public void RecordTranscript(string itemId, int contentIndex, string transcript)
    {
    }
}
