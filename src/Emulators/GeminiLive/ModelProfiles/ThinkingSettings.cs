using System.Text.Json;

namespace VoicePlatform.Emulators.GeminiLive.ModelProfiles;

/// <summary>
/// The setup's <c>generationConfig.thinkingConfig</c> as the emulator acts on it: how many thought tokens a reply
/// reports (<c>usageMetadata.thoughtsTokenCount</c>), so a client can see which level or budget the session runs.
/// </summary>
internal sealed record ThinkingSettings(string? Level, int? Budget)
{
    /// <summary>2.5 Flash's largest thinking budget (-1 = automatic, 0 = off).</summary>
    public const int MaxBudget = 24576;

    /// <summary>The setup's thinkingConfig, or null when it has none.</summary>
    public static ThinkingSettings? Read(JsonElement setup)
    {
        if (!setup.TryGetProperty("generationConfig", out var generation) || generation.ValueKind != JsonValueKind.Object
            || !generation.TryGetProperty("thinkingConfig", out var thinking) || thinking.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var level = thinking.TryGetProperty("thinkingLevel", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
        int? budget = thinking.TryGetProperty("thinkingBudget", out var b) && b.ValueKind == JsonValueKind.Number && b.TryGetInt32(out var n) ? n : null;
        return new ThinkingSettings(level?.ToUpperInvariant(), budget);
    }

    /// <summary>
    /// Thought tokens per reply: a level scales <paramref name="baseline"/> (MINIMAL 0, LOW half, MEDIUM all, HIGH
    /// double); a budget of 0 thinks not at all, -1 (automatic) the baseline, n > 0 one token per 64 of the budget.
    /// </summary>
    public int ThoughtsTokens(int baseline) => Level switch
    {
        "MINIMAL" => 0,
        "LOW" => baseline / 2,
        "MEDIUM" => baseline,
        "HIGH" => baseline * 2,
        _ => Budget switch
        {
            null or 0 => 0,
            < 0 => baseline,
            { } n => Math.Max(1, n / 64),
        },
    };
}
