namespace VoicePlatform.Router.Checkpoints;

/// <summary>What is needed to rebuild a session elsewhere, as last checkpointed.</summary>
public sealed record SessionSnapshot(
    string SessionId,
    IReadOnlyDictionary<string, string> Fields,
    IReadOnlyList<string> History,
    string? Owner,
    long FenceToken)
{
    public string? Field(string name) => Fields.TryGetValue(name, out var value) ? value : null;
}
