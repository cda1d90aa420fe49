namespace VoicePlatform.Router.Sessions;

/// <summary>Provider-specific state a connector hands to the session checkpoint (written to Redis at the next checkpoint).</summary>
public interface ISessionCheckpoints
{
    void SetProviderState(string name, string value);
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
}
