using System.Globalization;
using System.Text.Json;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// <c>sessionResumptionUpdate</c>: the new handle, whether the state is resumable now (not mid-generation or mid-tool
/// call), and the index of the last client message that state has consumed (transparent resumption), when given.
/// </summary>
public sealed record GeminiResumptionUpdate(string? NewHandle, bool Resumable, long? LastConsumedClientMessageIndex)
{
    /// <summary>A handle to take: resumable and not empty.</summary>
    public bool Usable => Resumable && !string.IsNullOrEmpty(NewHandle);

    public static GeminiResumptionUpdate Read(JsonElement update)
    {
        if (update.ValueKind != JsonValueKind.Object)
        {
            return new GeminiResumptionUpdate(null, false, null);
        }

        var handle = update.TryGetProperty("newHandle"u8, out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
        var resumable = update.TryGetProperty("resumable"u8, out var r) && r.ValueKind == JsonValueKind.True;
        // An int64 in proto3 JSON is a string; a number is accepted too.
        long? consumed = update.TryGetProperty("lastConsumedClientMessageIndex"u8, out var index)
            && long.TryParse(index.ValueKind == JsonValueKind.String ? index.GetString() : index.GetRawText(),
                NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
        return new GeminiResumptionUpdate(handle, resumable, consumed);
    }
}
