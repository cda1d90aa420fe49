using System.Text.Json.Nodes;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// OpenAI voice → Gemini prebuilt voice. Picked by character (Google's own one-word descriptions in brackets):
/// <list type="table">
/// <item><term>alloy</term><description>Puck (upbeat; Gemini's default voice)</description></item>
/// <item><term>ash</term><description>Charon (informative)</description></item>
/// <item><term>ballad</term><description>Enceladus (breathy)</description></item>
/// <item><term>coral</term><description>Aoede (breezy)</description></item>
/// <item><term>echo</term><description>Fenrir (excitable)</description></item>
/// <item><term>sage</term><description>Kore (firm)</description></item>
/// <item><term>shimmer</term><description>Leda (youthful)</description></item>
/// <item><term>verse</term><description>Orus (firm)</description></item>
/// <item><term>marin</term><description>Zephyr (bright)</description></item>
/// <item><term>cedar</term><description>Iapetus (clear)</description></item>
/// </list>
/// A custom voice <c>{"id": "..."}</c> whose id is a Gemini voice name is used as is; anything else gets the configured default.
/// </summary>
internal static class GeminiVoices
{
    private static readonly Dictionary<string, string> FromOpenAI = new(StringComparer.Ordinal)
    {
        ["alloy"] = "Puck",
        ["ash"] = "Charon",
        ["ballad"] = "Enceladus",
        ["coral"] = "Aoede",
        ["echo"] = "Fenrir",
        ["sage"] = "Kore",
        ["shimmer"] = "Leda",
        ["verse"] = "Orus",
        ["marin"] = "Zephyr",
        ["cedar"] = "Iapetus",
    };

    private static readonly HashSet<string> Prebuilt = new(StringComparer.OrdinalIgnoreCase)
    {
        "Zephyr", "Puck", "Charon", "Kore", "Fenrir", "Leda", "Orus", "Aoede", "Callirrhoe", "Autonoe", "Enceladus",
        "Iapetus", "Umbriel", "Algieba", "Despina", "Erinome", "Algenib", "Rasalgethi", "Laomedeia", "Achernar",
        "Alnilam", "Schedar", "Gacrux", "Pulcherrima", "Achird", "Zubenelgenubi", "Vindemiatrix", "Sadachbia",
        "Sadaltager", "Sulafat",
    };

    public static string Map(JsonNode voice, string defaultVoice)
    {
        if (voice is JsonValue value && value.TryGetValue<string>(out var name) && FromOpenAI.TryGetValue(name, out var mapped))
        {
            return mapped;
        }

        if (voice is JsonObject obj && obj["id"] is JsonValue idValue && idValue.TryGetValue<string>(out var id) && Prebuilt.TryGetValue(id, out var actual))
        {
            return actual;
        }

        return defaultVoice;
    }
}
