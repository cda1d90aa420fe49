using VoicePlatform.Tools.BuiltIns;

namespace VoicePlatform.Tools.Registry;

/// <summary>
/// A tenant's tool settings: which built-ins its sessions may use, and which tools every session gets without
/// naming them. A tenant that never set them has every built-in enabled and no default tools.
/// </summary>
public sealed record ToolSettings(IReadOnlyList<string> EnabledBuiltIns, IReadOnlyList<string> DefaultTools)
{
    public static ToolSettings Default { get; } = new(BuiltInTools.Names, []);

    public bool IsBuiltInEnabled(string name) => EnabledBuiltIns.Contains(name, StringComparer.Ordinal);
}
