using System.Text.Json;
using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Gateway.Tools;

/// <summary>A tenant's tool settings (<c>GET/PUT /v1/tools/settings</c>), with the built-ins it can choose from.</summary>
public sealed record ToolSettingsBody(
    [property: JsonPropertyName("enabled_built_ins")] IReadOnlyList<string> EnabledBuiltIns,
    [property: JsonPropertyName("default_tools")] IReadOnlyList<string> DefaultTools,
    [property: JsonPropertyName("available_built_ins")] IReadOnlyList<BuiltInToolResponse> AvailableBuiltIns)
{
    [JsonPropertyName("object")] public string Object => "tool_settings";

    public static ToolSettingsBody From(ToolSettingsResponse settings) => new(
        [.. settings.EnabledBuiltIns],
        [.. settings.DefaultTools],
        [.. settings.AvailableBuiltIns.Select(t => new BuiltInToolResponse(t.Name, t.Description, JsonElement.Parse(t.ParametersJson)))]);
}

public sealed record BuiltInToolResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("parameters")] JsonElement Parameters);
