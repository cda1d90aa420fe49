using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Tools.BuiltIns;

/// <summary>Tools every tenant can enable, run inside the Tools service. Kept deliberately small.</summary>
public static class BuiltInTools
{
    public const string GetCurrentTime = "get_current_time";
    public const string EndSession = "end_session";

    /// <summary>The timeout ListTools announces for built-ins: they run in-process and answer at once.</summary>
    public const int TimeoutMs = 1000;

    public static IReadOnlyList<ToolDefinition> All { get; } =
    [
        new()
        {
            Name = GetCurrentTime,
            Description = "Returns the current date and time in the given IANA timezone.",
            ParametersJson = """{"type":"object","properties":{"timezone":{"type":"string","description":"IANA timezone, e.g. Europe/Paris"}},"required":["timezone"]}""",
            BuiltIn = true,
            TimeoutMs = TimeoutMs,
        },
        new()
        {
            Name = EndSession,
            Description = "Ends the call after the assistant finishes its current utterance.",
            ParametersJson = """{"type":"object","properties":{"reason":{"type":"string"}}}""",
            BuiltIn = true,
            TimeoutMs = TimeoutMs,
        },
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(t => t.Name)];

    public static ToolDefinition? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>Built-in names are reserved whatever their case, so a registered tool can never be mistaken for one.</summary>
    public static bool IsReservedName(string name) => All.Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}
