using System.Text.Json;

namespace VoicePlatform.Tools.BuiltIns;

/// <summary>A tool run inside the Tools service. Its arguments have already passed its schema.</summary>
public interface IBuiltInTool
{
    string Name { get; }

    /// <summary>Whether its arguments may appear in logs and events.</summary>
    bool Loggable { get; }

    BuiltInToolResult Run(JsonElement arguments);
}
