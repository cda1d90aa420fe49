using System.Text.Json;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Protocol;

namespace VoicePlatform.Emulators.GeminiLive.ModelProfiles;

/// <summary>
/// Setup rules outside 3.8 (gemini-live-3.8-and-vertex.md §4, §6.1): affective dialog and proactivity exist on the
/// Developer API's <c>v1alpha</c> only (elsewhere the field is unknown to the proto: 1007, as any unknown field), and
/// 2.5 thinks by budget (a thinking level is refused, a budget must be -1…24576).
/// </summary>
internal static class NativeAudio25Rules
{
    /// <returns>The close to send, or null when the setup is acceptable.</returns>
    public static CloseDirective? Apply(JsonElement setup, string modelId, ModelProfile profile, string apiVersion, bool onVertex, GeminiEmulatorOptions options)
    {
        if (profile.IsLive38)
        {
            return null; // ModelSetupRules has 3.8's own rules for these fields
        }

        var hasGeneration = setup.TryGetProperty("generationConfig", out var generation) && generation.ValueKind == JsonValueKind.Object;
        if (options.AlphaFieldsNeedV1Alpha && !onVertex && apiVersion != "v1alpha")
        {
            if (hasGeneration && generation.TryGetProperty("enableAffectiveDialog", out _))
            {
                return UnknownField("enableAffectiveDialog", "setup.generation_config");
            }

            if (setup.TryGetProperty("proactivity", out _))
            {
                return UnknownField("proactivity", "setup");
            }
        }

        if (!modelId.Contains("2.5", StringComparison.Ordinal) || ThinkingSettings.Read(setup) is not { } thinking)
        {
            return null;
        }

        if (thinking.Level is not null)
        {
            return CloseDirective.Invalid("Thinking level is not supported for this model. Use setup.generation_config.thinking_config.thinking_budget.");
        }

        return thinking.Budget is { } budget && (budget < -1 || budget > ThinkingSettings.MaxBudget)
            ? CloseDirective.Invalid($"Invalid value at 'setup.generation_config.thinking_config.thinking_budget' ({budget}): the budget must be -1 (automatic) or between 0 and {ThinkingSettings.MaxBudget}.")
            : null;
    }

    private static CloseDirective UnknownField(string name, string at) =>
        CloseDirective.Invalid($"Invalid JSON payload received. Unknown name \"{name}\" at '{at}': Cannot find field.");
}
