namespace VoicePlatform.ServiceDefaults.Health;

public static class HealthTags
{
    /// <summary>Checks that only prove the process is alive (used by /alive).</summary>
    public const string Live = "live";

    /// <summary>Dependency checks (used by /health together with every other check).</summary>
    public const string Ready = "ready";
}
