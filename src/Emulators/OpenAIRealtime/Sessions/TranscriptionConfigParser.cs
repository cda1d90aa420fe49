using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary><c>session.audio.input.transcription</c>: the input transcription model and its hints.</summary>
internal static class TranscriptionConfigParser
{
    public static readonly string[] Models =
        ["whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe", "gpt-4o-transcribe-diarize", "gpt-transcribe", "gpt-live-transcribe", "gpt-realtime-whisper"];

    /// <param name="models">The models the provider accepts; the first is the default (xAI passes its own).</param>
    public static RealtimeError? Parse(JsonElement v, string at, out JsonNode? transcription, string[]? models = null)
    {
        models ??= Models;
        transcription = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (JsonRead.Object(v, at) is { } e)
        {
            return e;
        }
        var result = new JsonObject { ["model"] = models[0], ["language"] = null, ["prompt"] = null };
        foreach (var p in v.EnumerateObject())
        {
            var pat = $"{at}.{p.Name}";
            switch (p.Name)
            {
                case "model":
                    if (JsonRead.Enum(p.Value, pat, models, out var model) is { } me) return me;
                    result["model"] = model;
                    break;
                case "language":
                case "prompt":
                    if (p.Value.ValueKind != JsonValueKind.Null && JsonRead.String(p.Value, pat, out _) is { } se) return se;
                    result[p.Name] = JsonNode.Parse(p.Value.GetRawText());
                    break;
                case "languages":
                case "keywords":
                    if (p.Value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null)) return RealtimeError.InvalidType(pat, "an array", p.Value);
                    result[p.Name] = JsonNode.Parse(p.Value.GetRawText());
                    break;
                case "delay":
                    result[p.Name] = JsonNode.Parse(p.Value.GetRawText());
                    break;
                default:
                    return RealtimeError.UnknownParameter(pat);
            }
        }
        transcription = result;
        return null;
    }
}
