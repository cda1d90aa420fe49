using VoicePlatform.Audio;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// The audio formats one client chose (input and output independently) and the streaming converters between them
/// and the platform's canonical PCM16. Conversion happens here, once, at the edge.
/// </summary>
public sealed class ClientAudioFormats
{
    public AudioFormat Input { get; private set; } = AudioFormat.Pcm16At24kHz;

    public AudioFormat Output { get; private set; } = AudioFormat.Pcm16At24kHz;

    private AudioTranscoder? _inputDecoder;   // client encoding → PCM16 at the client's rate
    private AudioTranscoder? _outputEncoder;  // canonical PCM16 → client format
    private int _outputSourceRate;

    public void SetInput(AudioFormat format)
    {
        if (format == Input) return;
        Input = format;
        _inputDecoder = null;
    }

    public void SetOutput(AudioFormat format)
    {
        if (format == Output) return;
        Output = format;
        _outputEncoder = null;
    }

    /// <summary>The canonical sample rate of decoded client input (no resampling here: the Router resamples for its provider).</summary>
    public int InputPcmRate => Input.SampleRate;

    /// <summary>Client input bytes → PCM16 at <see cref="InputPcmRate"/>. Returns the bytes written to <paramref name="pcm"/>.</summary>
    public int DecodeInput(ReadOnlySpan<byte> client, ref byte[] pcm)
    {
        _inputDecoder ??= new AudioTranscoder(Input, AudioFormat.Pcm16(Input.SampleRate));
        return Transcode(_inputDecoder, client, ref pcm);
    }

    /// <summary>Canonical PCM16 at <paramref name="sampleRate"/> → client output bytes.</summary>
    public int EncodeOutput(ReadOnlySpan<byte> pcm16, int sampleRate, ref byte[] client)
    {
        if (_outputEncoder is null || _outputSourceRate != sampleRate)
        {
            _outputEncoder = new AudioTranscoder(AudioFormat.Pcm16(sampleRate), Output);
            _outputSourceRate = sampleRate;
        }
        return Transcode(_outputEncoder, pcm16, ref client);
    }

    /// <summary>True when output bytes from the Router can go to the client unchanged.</summary>
    public bool IsOutputPassthrough(int sampleRate) => Output.Encoding == AudioEncoding.Pcm16 && Output.SampleRate == sampleRate;

    private static int Transcode(AudioTranscoder transcoder, ReadOnlySpan<byte> input, ref byte[] output)
    {
        var max = transcoder.GetMaxOutputBytes(input.Length);
        if (output.Length < max) output = new byte[Math.Max(max, output.Length * 2)];
        return transcoder.Transcode(input, output);
    }
}
