using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Tools.BuiltIns;

public sealed record BuiltInToolResult(ToolOutcome Outcome, string OutputJson, ToolAction Action = ToolAction.None, string? Error = null);
