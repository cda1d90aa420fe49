using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Tools.Registry;

/// <summary>Tools every tenant can enable. Kept deliberately small.</summary>
public static class BuiltInTools
{
    public static IReadOnlyList<ToolDefinition> All { get; } =
    [
        new()
        {
            Name = "get_current_time",
            Description = "Returns the current date and time in the given IANA timezone.",
            ParametersJson = """{"type":"object","properties":{"timezone":{"type":"string","description":"IANA timezone, e.g. Europe/Paris"}},"required":["timezone"]}""",
            BuiltIn = true,
        },
        new()
        {
            Name = "end_session",
            Description = "Ends the call after the assistant finishes its current utterance.",
            ParametersJson = """{"type":"object","properties":{"reason":{"type":"string"}}}""",
            BuiltIn = true,
        },
    ];
}
