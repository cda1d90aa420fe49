using System.Text.Json;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Protocol;

namespace VoicePlatform.Emulators.GeminiLive.ModelProfiles;

/// <summary>
/// The 3.8 setup rules (reference §2, §8 item 3), applied after <see cref="SetupParser"/> accepted the setup: fields
/// the 3.8 models refuse close the connection with a reason naming the field; undeclared behaviour becomes NON_BLOCKING.
/// </summary>
internal static class ModelSetupRules
{
    private static readonly HashSet<string> ExtendedThinkingLevels = new(StringComparer.OrdinalIgnoreCase) { "LOW", "MEDIUM", "HIGH" };

    /// <returns>The close to send, or null when the setup is acceptable for the model.</returns>
    public static CloseDirective? Apply(JsonElement element, SessionSetup setup, ModelProfile profile, Live38Options options)
    {
        if (!profile.IsLive38)
        {
            return null;
        }

        var reason = Check(element, profile);
        if (reason is not null)
        {
            return new CloseDirective(options.SetupRejectCloseCode, reason);
        }

        DefaultToNonBlocking(element, setup);
        return null;
    }

    private static string? Check(JsonElement setup, ModelProfile profile)
    {
        var hasGeneration = setup.TryGetProperty("generationConfig", out var generation) && generation.ValueKind == JsonValueKind.Object;
        if (hasGeneration && generation.TryGetProperty("enableAffectiveDialog", out _))
        {
            return "setup.generation_config.enable_affective_dialog is not supported by this model.";
        }

        if (hasGeneration && generation.TryGetProperty("responseModalities", out var modalities) && modalities.ValueKind == JsonValueKind.Array
            && modalities.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.String && m.GetString() == "TEXT"))
        {
            return "Invalid value at 'setup.generation_config.response_modalities': TEXT is not supported; this model responds with AUDIO only.";
        }

        if (setup.TryGetProperty("proactivity", out var proactivity) && proactivity.ValueKind == JsonValueKind.Object
            && proactivity.TryGetProperty("proactiveAudio", out var proactive) && proactive.ValueKind == JsonValueKind.False)
        {
            return "setup.proactivity.proactive_audio cannot be false: proactive audio is always on for this model.";
        }

        var thinking = hasGeneration && generation.TryGetProperty("thinkingConfig", out var t) && t.ValueKind != JsonValueKind.Null ? t : (JsonElement?)null;
        return profile.ExtendedThinking ? CheckExtendedThinking(setup, thinking) : thinking is null
            ? null
            : "thinking_level is not supported by this model: leave setup.generation_config.thinking_config out.";
    }

    private static string? CheckExtendedThinking(JsonElement setup, JsonElement? thinking)
    {
        const string Required = "setup.generation_config.thinking_config: exactly one of thinking_level or thinking_budget is required for this model.";
        if (thinking is not { ValueKind: JsonValueKind.Object } config)
        {
            return Required;
        }

        var hasLevel = config.TryGetProperty("thinkingLevel", out var level);
        var hasBudget = config.TryGetProperty("thinkingBudget", out var budget);
        if (hasLevel == hasBudget)
        {
            return Required;
        }

        if (hasLevel)
        {
            var value = level.ValueKind == JsonValueKind.String ? level.GetString() ?? string.Empty : level.GetRawText();
            if (!ExtendedThinkingLevels.Contains(value))
            {
                return $"Invalid value at 'setup.generation_config.thinking_config.thinking_level' (\"{value}\"): use LOW, MEDIUM or HIGH.";
            }
        }
        else if (budget.ValueKind != JsonValueKind.Number || !budget.TryGetInt32(out var tokens) || tokens == 0 || tokens < -1)
        {
            return "Invalid value at 'setup.generation_config.thinking_config.thinking_budget': this model needs a thinking budget.";
        }

        foreach (var (name, behavior) in Behaviors(setup))
        {
            if (behavior == "BLOCKING")
            {
                return $"Function '{name}': behavior BLOCKING is not supported by this model; function calling is asynchronous only.";
            }
        }

        return null;
    }

    /// <summary>3.8: a function without a behaviour (or UNSPECIFIED) is NON_BLOCKING; an explicit BLOCKING stays blocking.</summary>
    private static void DefaultToNonBlocking(JsonElement element, SessionSetup setup)
    {
        foreach (var (name, behavior) in Behaviors(element))
        {
            if (behavior is null or "UNSPECIFIED" && setup.Functions.TryGetValue(name, out var declaration))
            {
                setup.Functions[name] = declaration with { NonBlocking = true };
            }
        }
    }

    private static IEnumerable<(string Name, string? Behavior)> Behaviors(JsonElement setup)
    {
        if (!setup.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("functionDeclarations", out var declarations)
                || declarations.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var declaration in declarations.EnumerateArray())
            {
                var name = declaration.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() ?? string.Empty : string.Empty;
                var behavior = declaration.TryGetProperty("behavior", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
                yield return (name, behavior);
            }
        }
    }
}
