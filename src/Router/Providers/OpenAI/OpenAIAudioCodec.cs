using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using VoicePlatform.Audio;
using VoicePlatform.Contracts.Json;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// The OpenAI session's audio conversions, into buffers reused from call to call: client PCM16 at any rate to the
/// provider's 24 kHz (resampler state kept across chunks; 24 kHz passes through untouched), the
/// <c>input_audio_buffer.append</c> event around it, and a provider audio delta's base64 decoded in place. What each
/// method returns is valid until its next call. The client side (<see cref="ToUpstream"/>, <see cref="AppendEvent"/>)
/// and the provider side (<see cref="DecodeDelta"/>) use separate buffers, so one sender and one reader may run at once.
/// </summary>
public sealed class OpenAIAudioCodec : IDisposable
{
    /// <summary>The provider's PCM16 rate, both ways.</summary>
    public const int UpstreamSampleRate = AudioFormat.RealtimePcmSampleRate;

    private AudioTranscoder? _transcoder;
    private byte[] _resampled = [];
    private readonly ArrayBufferWriter<byte> _append = new(8 * 1024);
    private readonly Utf8JsonWriter _appendWriter;
    private byte[] _decoded = [];

    public OpenAIAudioCodec() => _appendWriter = new Utf8JsonWriter(_append, WireJson.WriterOptions);

    /// <summary><paramref name="pcm16"/> at <paramref name="sampleRate"/> as 24 kHz PCM16; 24 kHz is returned as it is.</summary>
    public ReadOnlyMemory<byte> ToUpstream(ReadOnlyMemory<byte> pcm16, int sampleRate)
    {
        if (sampleRate == UpstreamSampleRate) return pcm16;
        if (_transcoder is null || _transcoder.Source.SampleRate != sampleRate)
            _transcoder = new AudioTranscoder(AudioFormat.Pcm16(sampleRate), AudioFormat.Pcm16At24kHz);
        var max = _transcoder.GetMaxOutputBytes(pcm16.Length);
        if (_resampled.Length < max) _resampled = new byte[Math.Max(max, _resampled.Length * 2)];
        var written = _transcoder.Transcode(pcm16.Span, _resampled);
        return _resampled.AsMemory(0, written);
    }

    /// <summary>The <c>input_audio_buffer.append</c> event carrying <paramref name="audio"/> (24 kHz PCM16).</summary>
    public ReadOnlyMemory<byte> AppendEvent(ReadOnlySpan<byte> audio, string? eventId)
    {
        _append.ResetWrittenCount();
        _appendWriter.Reset(_append);
        _appendWriter.WriteStartObject();
        _appendWriter.WriteString("type"u8, "input_audio_buffer.append"u8);
        if (eventId is not null) _appendWriter.WriteString("event_id"u8, eventId);
        _appendWriter.WriteBase64String("audio"u8, audio);
        _appendWriter.WriteEndObject();
        _appendWriter.Flush();
        return _append.WrittenMemory;
    }

    /// <summary>
    /// The PCM16 of an audio delta <paramref name="read"/> from <paramref name="message"/>. Throws
    /// <see cref="JsonException"/> when the delta is not base64.
    /// </summary>
    public ReadOnlyMemory<byte> DecodeDelta(ReadOnlySpan<byte> message, in OpenAIServerEvent read)
    {
        var encoded = message.Slice(read.DeltaStart, read.DeltaLength);
        if (read.DeltaEscaped)
        {
            // JSON allows "\/" inside base64; unescape before decoding (rare).
            var reader = new Utf8JsonReader(message[(read.DeltaStart - 1)..(read.DeltaStart + read.DeltaLength + 1)]);
            reader.Read();
            encoded = Encoding.UTF8.GetBytes(reader.GetString()!);
        }
        var max = Base64.GetMaxDecodedFromUtf8Length(encoded.Length);
        if (_decoded.Length < max) _decoded = new byte[Math.Max(max, _decoded.Length * 2)];
        if (Base64.DecodeFromUtf8(encoded, _decoded, out _, out var written) != OperationStatus.Done)
            throw new JsonException("Provider audio delta is not valid base64.");
        return _decoded.AsMemory(0, written);
    }

    public void Dispose() => _appendWriter.Dispose();
}
