using System.Text.Json;

namespace VoicePlatform.RealtimeProtocol;

/// <summary>Reads the <c>type</c> of a Realtime event without parsing the rest of it (a listed type allocates nothing, see <see cref="KnownEventTypes"/>).</summary>
public static class RealtimeEventType
{
    public static string? Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType) return reader.TokenType != JsonTokenType.String ? null : Known(ref reader) ?? reader.GetString();
            reader.TrySkip();
        }
        return null;
    }

    private static string? Known(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped || reader.HasValueSequence ? null : KnownEventTypes.Find(reader.ValueSpan);
}
