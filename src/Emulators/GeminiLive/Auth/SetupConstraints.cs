using System.Text.Json;
using System.Text.Json.Nodes;

namespace VoicePlatform.Emulators.GeminiLive.Auth;

/// <summary>
/// Applies an ephemeral token's bidiGenerateContentSetup: the fields it sets are locked and override
/// what the client sends (generationConfig is merged field by field).
/// </summary>
internal static class SetupConstraints
{
    public static JsonElement Apply(JsonElement clientSetup, JsonObject constraints)
    {
        var merged = JsonNode.Parse(clientSetup.GetRawText()) as JsonObject ?? [];
        foreach (var (name, value) in constraints)
        {
            if (name == "generationConfig" && value is JsonObject lockedGeneration && merged[name] is JsonObject clientGeneration)
            {
                foreach (var (field, fieldValue) in lockedGeneration)
                {
                    clientGeneration[field] = fieldValue?.DeepClone();
                }
            }
            else if (name == "sessionResumption" && value is JsonObject lockedResumption)
            {
                // Locking sessionResumption must not drop the handle: reconnecting every ~10 min
                // with a handle is the documented way to use a single-use token.
                var handle = (merged[name] as JsonObject)?["handle"]?.DeepClone();
                var resumption = (JsonObject)lockedResumption.DeepClone();
                if (handle is not null)
                {
                    resumption["handle"] = handle;
                }

                merged[name] = resumption;
            }
            else
            {
                merged[name] = value?.DeepClone();
            }
        }

        return JsonSerializer.SerializeToElement(merged);
    }
}
