using System.Text;
using System.Text.Json;

namespace VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

/// <summary>Predicates and extractors over server messages.</summary>
internal static class Wire
{
    public const string NativeAudioModel = "models/gemini-2.5-flash-native-audio-preview-12-2025";

    public static bool Has(this JsonElement json, string property) => json.TryGetProperty(property, out _);

    public static bool Content(this JsonElement json, string field) =>
        json.TryGetProperty("serverContent", out var content) && content.TryGetProperty(field, out var value)
        && (value.ValueKind != JsonValueKind.True || value.GetBoolean());

    public static bool IsTurnComplete(JsonElement json) => json.Content("turnComplete");
    public static bool IsGenerationComplete(JsonElement json) => json.Content("generationComplete");
    public static bool IsInterrupted(JsonElement json) => json.Content("interrupted");

    public static bool IsResumable(JsonElement json) =>
        json.TryGetProperty("sessionResumptionUpdate", out var update)
        && update.TryGetProperty("resumable", out var resumable) && resumable.GetBoolean();

    public static string OutputTranscript(IEnumerable<Frame> frames) => Transcript(frames, "outputTranscription");
    public static string InputTranscript(IEnumerable<Frame> frames) => Transcript(frames, "inputTranscription");

    private static string Transcript(IEnumerable<Frame> frames, string field)
    {
        var text = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.Json.TryGetProperty("serverContent", out var content) && content.TryGetProperty(field, out var t))
            {
                text.Append(t.GetProperty("text").GetString());
            }
        }

        return text.ToString();
    }

    public static IEnumerable<JsonElement> AudioParts(IEnumerable<Frame> frames)
    {
        foreach (var frame in frames)
        {
            if (frame.Json.TryGetProperty("serverContent", out var content) && content.TryGetProperty("modelTurn", out var turn))
            {
                foreach (var part in turn.GetProperty("parts").EnumerateArray())
                {
                    if (part.TryGetProperty("inlineData", out var data))
                    {
                        yield return data;
                    }
                }
            }
        }
    }

    public static int AudioBytes(IEnumerable<Frame> frames) =>
        AudioParts(frames).Sum(d => Convert.FromBase64String(d.GetProperty("data").GetString()!).Length);

    public static string? Handle(JsonElement json) =>
        json.TryGetProperty("sessionResumptionUpdate", out var u) && u.TryGetProperty("newHandle", out var h) ? h.GetString() : null;
}
