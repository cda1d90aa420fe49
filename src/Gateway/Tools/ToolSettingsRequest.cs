using System.ComponentModel;
using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Tools;

/// <summary>Body of <c>PUT /v1/tools/settings</c>. A field left out keeps its current value.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record ToolSettingsRequest
{
    [Description("Built-ins this tenant's sessions may use.")]
    [JsonPropertyName("enabled_built_ins")] public string[]? EnabledBuiltIns { get; init; }

    [Description("Tools (registered, or enabled built-ins) every session gets without naming them.")]
    [JsonPropertyName("default_tools")] public string[]? DefaultTools { get; init; }
}
