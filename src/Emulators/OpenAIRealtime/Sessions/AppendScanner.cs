using System.Text.Json;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>Where the base64 audio of a well-formed <c>input_audio_buffer.append</c> sits in the raw frame.</summary>
internal readonly record struct AppendScan(int AudioStart, int AudioLength, string? EventId);

/// <summary>
/// Recognises the common case (type append, plain-string audio, optional string event_id, nothing else) with a
/// forward-only reader. Anything unusual returns false and takes the general path, which reports errors.
/// </summary>
internal static class AppendScanner
{
    public static bool TryScan(ReadOnlySpan<byte> json, out AppendScan scan)
    {
        scan = default;
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            bool isAppend = false, hasAudio = false;
            int start = 0, length = 0;
            string? eventId = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("input_audio_buffer.append"u8))
                    {
                        return false;
                    }
                    isAppend = true;
                }
                else if (reader.ValueTextEquals("audio"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
                    {
                        return false;
                    }
                    hasAudio = true;
                    start = (int)reader.TokenStartIndex + 1;
                    length = reader.ValueSpan.Length;
                }
                else if (reader.ValueTextEquals("event_id"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }
                    eventId = reader.GetString();
                }
                else
                {
                    return false;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || !isAppend || !hasAudio)
            {
                return false;
            }
            scan = new AppendScan(start, length, eventId);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
