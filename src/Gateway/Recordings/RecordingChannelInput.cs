using VoicePlatform.Audio;

namespace VoicePlatform.Gateway.Recordings;

/// <summary>
/// Brings one channel's PCM16 to the recording's rate. Canonical audio is already 24 kHz and passes through untouched;
/// G.711 clients' input is 8 kHz and is resampled (streaming, reused buffer). One instance per sending loop.
/// </summary>
public sealed class RecordingChannelInput(int recordingRate)
{
    private AudioTranscoder? _resampler;
    private byte[] _buffer = [];

    public ReadOnlySpan<byte> ToRecordingRate(ReadOnlySpan<byte> pcm16, int sampleRate)
    {
        if (sampleRate == recordingRate) return pcm16;
        if (_resampler is null || _resampler.Source.SampleRate != sampleRate)
            _resampler = new AudioTranscoder(AudioFormat.Pcm16(sampleRate), AudioFormat.Pcm16(recordingRate));
        var max = _resampler.GetMaxOutputBytes(pcm16.Length);
        if (_buffer.Length < max) _buffer = new byte[Math.Max(max, _buffer.Length * 2)];
        return _buffer.AsSpan(0, _resampler.Transcode(pcm16, _buffer));
    }
}
