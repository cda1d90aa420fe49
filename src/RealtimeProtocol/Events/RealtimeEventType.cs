using System.Text.Json;

namespace VoicePlatform.RealtimeProtocol;

/// <summary>Reads the <c>type</c> of a Realtime event without parsing the rest of it (a listed type allocates nothing, see <see cref="KnownEventTypes"/>).</summary>
public static class RealtimeEventType
{
    public static string? Read(ReadOnlySpan<byte> json) => Read(json, unlisted: true);

    /// <summary>
    /// As <see cref="Read"/> for a listed type; null for any other, without allocating it (for a layer that acts only on
    /// listed types). An escaped type is unescaped, and returned whether listed or not.
    /// </summary>
    public static string? ReadListed(ReadOnlySpan<byte> json) => Read(json, unlisted: false);

    private static string? Read(ReadOnlySpan<byte> json, bool unlisted)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (!isType)
            {
                reader.TrySkip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.String) return null;
            if (reader.ValueIsEscaped || reader.HasValueSequence) return reader.GetString();
            return KnownEventTypes.Find(reader.ValueSpan) ?? (unlisted ? reader.GetString() : null);
        }
        return null;
    }
}
