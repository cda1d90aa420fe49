using VoicePlatform.Audio;

namespace VoicePlatform.Cli.Talk;

/// <summary>Any WAV made into what the realtime API takes: mono PCM16 at 24 kHz, downmixed and resampled with the platform's band-limited resampler.</summary>
public static class InputAudio
{
    public const int SampleRate = 24_000;

    public static byte[] ToPcm16Mono24k(PcmAudio audio)
    {
        var mono = new short[audio.Frames];
        for (var frame = 0; frame < mono.Length; frame++)
        {
            var sum = 0f;
            for (var channel = 0; channel < audio.Channels; channel++) sum += audio.Interleaved[frame * audio.Channels + channel];
            mono[frame] = (short)Math.Clamp(MathF.Round(sum / audio.Channels * 32767f), short.MinValue, short.MaxValue);
        }

        var resampler = new StreamingResampler(audio.SampleRate, SampleRate);
        // Zeros after the end flush the filter's delay, so the resampled audio is as long as the original.
        var flush = (int)Math.Ceiling(resampler.DelaySamples * audio.SampleRate / SampleRate) + 1;
        var input = new short[mono.Length + flush];
        mono.CopyTo(input, 0);
        var output = new short[resampler.GetMaxOutputSamples(input.Length)];
        var written = resampler.Process(input, output);
        var skip = Math.Min((int)Math.Round(resampler.DelaySamples), written); // drop the filter's group delay

        var bytes = new byte[(written - skip) * 2];
        Pcm16.Encode(output.AsSpan(skip, written - skip), bytes);
        return bytes;
    }
}
