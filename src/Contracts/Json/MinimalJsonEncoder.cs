using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace VoicePlatform.Contracts.Json;

/// <summary>
/// Escapes only what JSON requires (RFC 8259 §7): <c>"</c>, <c>\</c>, control characters, and anything that is not
/// valid Unicode. <c>+ &lt; &gt; &amp; '</c>, non-ASCII letters and emoji are written as themselves. The framework's
/// encoders escape more: <see cref="JavaScriptEncoder.Default"/> for HTML safety, and even
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> escapes every character outside the BMP (emoji).
/// Not for JSON embedded in HTML.
/// </summary>
public sealed class MinimalJsonEncoder : JavaScriptEncoder
{
    public static readonly MinimalJsonEncoder Instance = new();

    private static readonly SearchValues<byte> Utf8MustEscape = SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
         0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, (byte)'"', (byte)'\\']);

    private static readonly SearchValues<char> CharMustEscapeOrCheck = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\"\\"
        + string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)));

    private MinimalJsonEncoder()
    {
    }

    // "\uXXXX" is the longest escape.
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar == '"' || unicodeScalar == '\\' || unicodeScalar is >= 0xD800 and <= 0xDFFF || unicodeScalar > 0x10FFFF;

    /// <summary>The hot path of <c>Utf8JsonWriter</c>: a vectorised search, then one validity check of the prefix.</summary>
    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var index = utf8Text.IndexOfAny(Utf8MustEscape);
        var prefix = index < 0 ? utf8Text : utf8Text[..index];
        // Invalid UTF-8 (rare) must be escaped rather than copied: the base class finds where it starts.
        return Utf8.IsValid(prefix) ? index : base.FindFirstCharacterToEncodeUtf8(utf8Text);
    }

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        var offset = 0;
        while (true)
        {
            var found = span[offset..].IndexOfAny(CharMustEscapeOrCheck);
            if (found < 0) return -1;
            var index = offset + found;
            var c = span[index];
            // A well-formed surrogate pair (an emoji) is text; a lone surrogate is not.
            if (char.IsHighSurrogate(c) && index + 1 < span.Length && char.IsLowSurrogate(span[index + 1]))
            {
                offset = index + 2;
                continue;
            }
            return index;
        }
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        numberOfCharactersWritten = 0;
        if (!WillEncode(unicodeScalar))
        {
            if (!new Rune(unicodeScalar).TryEncodeToUtf16(destination, out var written)) return false;
            numberOfCharactersWritten = written;
            return true;
        }

        var shortForm = unicodeScalar switch
        {
            '"' => '"',
            '\\' => '\\',
            '\n' => 'n',
            '\r' => 'r',
            '\t' => 't',
            '\b' => 'b',
            '\f' => 'f',
            _ => '\0',
        };
        if (shortForm != '\0')
        {
            if (destination.Length < 2) return false;
            destination[0] = '\\';
            destination[1] = shortForm;
            numberOfCharactersWritten = 2;
            return true;
        }
        if (destination.Length < 6 || unicodeScalar > 0xFFFF) return false;
        destination[0] = '\\';
        destination[1] = 'u';
        ((ushort)unicodeScalar).TryFormat(destination[2..], out _, "X4");
        numberOfCharactersWritten = 6;
        return true;
    }
}
