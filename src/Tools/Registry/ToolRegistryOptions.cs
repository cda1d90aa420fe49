namespace VoicePlatform.Tools.Registry;

/// <summary>Configuration section <c>Tools</c>: the registry's limits.</summary>
public sealed class ToolRegistryOptions
{
    public const string Section = "Tools";

    /// <summary>Most tools one tenant may register (built-ins do not count); a further create is refused.</summary>
    public int MaxToolsPerTenant { get; set; } = 100;
}
