namespace VoicePlatform.Cli.Talk;

/// <summary>Decoded audio: interleaved samples scaled to [-1, 1], with its rate and channel count.</summary>
public sealed record PcmAudio(float[] Interleaved, int SampleRate, int Channels)
{
    public int Frames => Interleaved.Length / Channels;

    public TimeSpan Duration => TimeSpan.FromSeconds((double)Frames / SampleRate);
}
