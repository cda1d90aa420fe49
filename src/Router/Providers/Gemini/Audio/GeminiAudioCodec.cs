using System.Buffers;
using System.Text.Json;
using VoicePlatform.Audio;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The session's audio conversions, into pooled buffers reused from call to call: client PCM16 at any rate to Gemini's
/// 16 kHz input (resampler state kept across chunks), and a Gemini frame's base64 audio to PCM16 bytes without
/// intermediate strings. What either returns is valid until the next call of the same method. Not thread-safe: the
/// session's gate owns it.
/// </summary>
public sealed class GeminiAudioCodec : IDisposable
{
    private AudioTranscoder? _transcoder;
    private byte[] _upstream = [];
    private byte[] _decoded = [];

    /// <summary>
    /// <paramref name="pcm16"/> at <paramref name="sampleRate"/> as 16 kHz PCM16 (possibly empty while the resampler
    /// fills). A new rate starts a new resampler.
    /// </summary>
    public ReadOnlyMemory<byte> ToUpstream(ReadOnlySpan<byte> pcm16, int sampleRate)
    {
        if (_transcoder is null || _transcoder.Source.SampleRate != sampleRate)
        {
            _transcoder = new AudioTranscoder(AudioFormat.Pcm16(sampleRate), AudioFormat.Pcm16At16kHz);
        }

        Reserve(ref _upstream, _transcoder.GetMaxOutputBytes(pcm16.Length));
        var written = _transcoder.Transcode(pcm16, _upstream);
        return _upstream.AsMemory(0, written);
    }

    /// <summary>The PCM16 bytes of a base64 JSON string (whole samples only; empty if it does not decode).</summary>
    public ReadOnlyMemory<byte> DecodeModelAudio(JsonElement data)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(data);
        if (raw.Length >= 2 && raw[0] == (byte)'"')
        {
            raw = raw[1..^1];
        }

        if (raw.IndexOf((byte)'\\') < 0)
        {
            Reserve(ref _decoded, System.Buffers.Text.Base64.GetMaxDecodedFromUtf8Length(raw.Length));
            if (System.Buffers.Text.Base64.DecodeFromUtf8(raw, _decoded, out _, out var written) == OperationStatus.Done)
            {
                return _decoded.AsMemory(0, written & ~1);
            }
        }

        // Escaped JSON string (or odd padding): take the slow path.
        return data.ValueKind == JsonValueKind.String && data.TryGetBytesFromBase64(out var bytes)
            ? bytes.AsMemory(0, bytes.Length & ~1)
            : ReadOnlyMemory<byte>.Empty;
    }

    public void Dispose()
    {
        Return(ref _upstream);
        Return(ref _decoded);
    }

    private static void Reserve(ref byte[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            Return(ref buffer);
            buffer = ArrayPool<byte>.Shared.Rent(size);
        }
    }

    private static void Return(ref byte[] buffer)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        buffer = [];
    }
}
