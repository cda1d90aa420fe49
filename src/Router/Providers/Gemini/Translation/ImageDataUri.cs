using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// An <c>input_image</c> part's <c>image_url</c>, checked: OpenAI takes PNG or JPEG data URIs only
/// (openai-realtime-2026-additions.md §3), and Gemini Live takes the same two as realtimeInput video frames.
/// </summary>
internal readonly record struct ImageDataUri(string MimeType, ReadOnlyMemory<char> Base64, int Bytes)
{
    /// <summary>
    /// The largest image accepted, decoded. Neither protocol file gives an image limit (OpenAI's only stated size is
    /// 15 MiB per audio append event), so 10 MiB: below that event cap once base64-encoded, and a frame far above what
    /// a camera sends.
    /// </summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>Reads <paramref name="url"/>; the error names <paramref name="param"/> (the part's image_url).</summary>
    public static ClientError? Parse(string url, string param, out ImageDataUri image)
    {
        image = default;
        var comma = url.IndexOf(',');
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase) || comma < 0)
        {
            return ClientError.InvalidValueMessage(param,
                $"Invalid '{param}': expected a base64-encoded data URL (data:image/png;base64,… or data:image/jpeg;base64,…).");
        }

        var header = url.AsSpan(5, comma - 5);
        var semicolon = header.IndexOf(';');
        var mime = (semicolon < 0 ? header : header[..semicolon]).Trim().ToString().ToLowerInvariant();
        if (semicolon < 0 || !header[(header.LastIndexOf(';') + 1)..].Trim().Equals("base64", StringComparison.OrdinalIgnoreCase))
        {
            return ClientError.InvalidValueMessage(param, $"Invalid '{param}': the data URL must be base64-encoded (';base64,').");
        }

        if (mime is not ("image/png" or "image/jpeg"))
        {
            return ClientError.InvalidValueMessage(param,
                $"Invalid '{param}': unsupported image type '{mime}'. Supported types are: 'image/png' and 'image/jpeg'.");
        }

        var data = url.AsMemory(comma + 1);
        if (data.Length == 0 || !System.Buffers.Text.Base64.IsValid(data.Span, out var bytes))
        {
            return ClientError.InvalidValueMessage(param, $"Invalid '{param}': the image data is not valid base64.");
        }

        if (bytes > MaxBytes)
        {
            return ClientError.InvalidValueMessage(param,
                $"Invalid '{param}': the image is {bytes} bytes; the maximum is {MaxBytes} bytes.");
        }

        // Base64.IsValid allows whitespace, which Gemini's base64 field may not: only then is the data re-encoded.
        if (data.Span.IndexOfAny(" \t\r\n") >= 0)
        {
            data = Convert.ToBase64String(Convert.FromBase64String(data.ToString())).AsMemory();
        }

        image = new ImageDataUri(mime, data, bytes);
        return null;
    }
}
