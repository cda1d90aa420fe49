using VoicePlatform.Emulators.OpenAIRealtime.Audio;

namespace VoicePlatform.Emulators.OpenAIRealtime.Conversation;

/// <summary>Audio held by an item (committed input, or the model's reply) in its wire format.</summary>
internal sealed class AudioClip
{
    private byte[] _data;
    private int _length;

    public AudioClip(AudioFormat format, byte[]? initial = null)
    {
        Format = format;
        _data = initial ?? new byte[4096];
        _length = initial?.Length ?? 0;
    }

    public AudioFormat Format { get; }

    public int ByteCount => _length;

    public double DurationMs => Format.DurationMs(_length);

    public ReadOnlySpan<byte> Bytes => _data.AsSpan(0, _length);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, _length + bytes.Length));
        }
        bytes.CopyTo(_data.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Keeps only the first <paramref name="ms"/> milliseconds (conversation.item.truncate).</summary>
    public void TruncateTo(double ms)
    {
        var samples = (int)(ms * Format.SampleRate / 1000.0);
        _length = Math.Min(_length, samples * Format.BytesPerSample);
    }
}
