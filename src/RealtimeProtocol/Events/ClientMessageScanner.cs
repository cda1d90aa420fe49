using System.Text;
using System.Text.Json;

namespace VoicePlatform.RealtimeProtocol;

/// <summary>
/// Reads what the strict parse cannot be trusted with: the client's <c>event_id</c> from any message, however broken
/// the rest is (so every error can echo it), and the defects that are syntactically JSON but have no single meaning —
/// duplicate keys (which value wins?) and unpaired UTF-16 surrogate escapes (not text). Both would otherwise surface as
/// exceptions deep in a parser; here they become a clear <c>invalid_json</c> error for that one message.
/// </summary>
public static class ClientMessageScanner
{
    /// <summary>The UTF-8 byte-order mark; RFC 8259 §8.1 lets a parser ignore it, so we do.</summary>
    public static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> message) =>
        message.StartsWith("\uFEFF"u8) ? message[3..] : message;

    /// <summary>
    /// The top-level <c>event_id</c> string, read forward until the message stops making sense. A value with an
    /// unpaired surrogate escape is returned as written (escaped), which is still the client's own text.
    /// <paramref name="complete"/> false reads a prefix of a longer message (one too large to keep whole).
    /// </summary>
    public static string? TryReadEventId(ReadOnlySpan<byte> message, bool complete = true)
    {
        var reader = new Utf8JsonReader(WithoutByteOrderMark(message), complete, default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0) return null;
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
                if (!reader.ValueTextEquals("event_id"u8))
                {
                    if (!reader.Read()) return null;
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip()) return null;
                    continue;
                }
                if (!reader.Read() || reader.TokenType != JsonTokenType.String) return null;
                return ReadStringOrRaw(ref reader);
            }
        }
        catch (JsonException)
        {
            // Malformed past this point; an event_id after it cannot be read.
        }
        return null;
    }

    /// <summary>
    /// The first defect that makes a syntactically valid message ambiguous, with the JSON path where it is; null if
    /// there is none. Syntax errors and excessive depth are left to the parser (it reports them as JsonException).
    /// </summary>
    public static string? FindAmbiguity(ReadOnlySpan<byte> message, out string? path)
    {
        path = null;
        var reader = new Utf8JsonReader(WithoutByteOrderMark(message));
        var names = new Stack<HashSet<string>?>(); // per open container: the keys seen (null for arrays)
        var location = new Stack<string>();
        string? pendingName = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        location.Push(pendingName ?? (names.Count > 0 && names.Peek() is null ? "[]" : ""));
                        names.Push(reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null);
                        pendingName = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        names.Pop();
                        location.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        if (!TryGetString(ref reader, out var name))
                        {
                            path = Path(location, null);
                            return $"The message contains a key with an unpaired UTF-16 surrogate escape ({Raw(ref reader)}), which is not valid text.";
                        }
                        if (!names.Peek()!.Add(name))
                        {
                            path = Path(location, name);
                            return $"The message contains the key '{name}' more than once{(location.Count > 1 ? $" in '{Path(location, null)}'" : "")}; each key may appear only once.";
                        }
                        pendingName = name;
                        break;
                    case JsonTokenType.String:
                        if (reader.ValueIsEscaped && !TryGetString(ref reader, out _))
                        {
                            path = Path(location, pendingName);
                            return $"The value of '{path}' contains an unpaired UTF-16 surrogate escape ({Raw(ref reader)}), which is not valid text.";
                        }
                        pendingName = null;
                        break;
                    default:
                        pendingName = null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Syntax errors are the strict parser's to report, with its position.
        }
        return null;
    }

    private static string? ReadStringOrRaw(ref Utf8JsonReader reader) =>
        TryGetString(ref reader, out var value) ? value : Raw(ref reader);

    private static bool TryGetString(ref Utf8JsonReader reader, out string value)
    {
        try
        {
            value = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return false;
        }
    }

    private static string Raw(ref Utf8JsonReader reader) =>
        Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);

    private static string Path(Stack<string> location, string? leaf)
    {
        // The stack enumerates innermost first; the root container's entry is "".
        var parts = location.Reverse().Skip(1).Append(leaf).Where(p => !string.IsNullOrEmpty(p));
        return string.Join(".", parts).Replace(".[]", "[]", StringComparison.Ordinal);
    }
}
