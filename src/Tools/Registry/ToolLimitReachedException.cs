namespace VoicePlatform.Tools.Registry;

/// <summary>The tenant already has <see cref="Limit"/> tools (<see cref="ToolRegistryOptions.MaxToolsPerTenant"/>).</summary>
public sealed class ToolLimitReachedException(int limit)
    : Exception($"This account already has the maximum of {limit} tools; delete one before registering another.")
{
    public int Limit { get; } = limit;
}
