using System.Text;
using System.Text.Json;

namespace VoicePlatform.Emulators.GeminiLive.Protocol;

/// <summary>Reduces a Content object ({role, parts[]}) to text, audio seconds and image count.</summary>
internal static class ContentReader
{
    public static ContentTurn Read(JsonElement content)
    {
        var role = content.TryGetProperty("role", out var r) ? r.GetString() ?? "user" : "user";
        var text = new StringBuilder();
        double audioSeconds = 0;
        var images = 0;
        if (content.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in parts.EnumerateArray())
            {
                if (part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                {
                    text.Append(t.GetString());
                }
                else if (part.TryGetProperty("inlineData", out var blob))
                {
                    var mime = blob.TryGetProperty("mimeType", out var m) ? m.GetString() ?? string.Empty : string.Empty;
                    var bytes = blob.TryGetProperty("data", out var d) ? d.GetBytesFromBase64().Length : 0;
                    if (mime.StartsWith("audio/pcm", StringComparison.OrdinalIgnoreCase))
                    {
                        audioSeconds += bytes / 2.0 / AudioMime.ParseRate(mime, 16000);
                    }
                    else if (mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
                    {
                        images++;
                    }
                }
            }
        }

        return new ContentTurn(role, text.ToString(), audioSeconds, images);
    }

    public static string ReadText(JsonElement content) => Read(content).Text;
}
