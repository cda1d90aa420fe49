using System.Buffers.Binary;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Recordings;

/// <summary>A downloaded PCM16 WAV (the recorder's 44-byte header), with per-channel energy over time windows.</summary>
public sealed class StereoWav
{
    private readonly byte[] _bytes;

    public StereoWav(byte[] bytes)
    {
        _bytes = bytes;
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("WAVE", System.Text.Encoding.ASCII.GetString(bytes, 8, 4));
        Channels = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(22));
        SampleRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(24));
        BitsPerSample = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(34));
        DataLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40));
        Assert.Equal(bytes.Length - 44, DataLength);
    }

    public int Channels { get; }
    public int SampleRate { get; }
    public int BitsPerSample { get; }
    public int DataLength { get; }
    public long Frames => DataLength / (Channels * 2);
    public TimeSpan Duration => TimeSpan.FromSeconds(Frames / (double)SampleRate);

    /// <summary>RMS of one channel (0 = left/caller, 1 = right/assistant) between two timeline offsets in seconds.</summary>
    public double Rms(int channel, double fromSeconds, double toSeconds)
    {
        var first = Math.Max(0, (long)(fromSeconds * SampleRate));
        var last = Math.Min(Frames, (long)(toSeconds * SampleRate));
        if (last <= first) return 0;
        double sum = 0;
        for (var frame = first; frame < last; frame++)
        {
            double sample = Sample(frame, channel);
            sum += sample * sample;
        }
        return Math.Sqrt(sum / (last - first));
    }

    /// <summary>Seconds of 20 ms windows of <paramref name="channel"/> whose RMS is above <paramref name="threshold"/>.</summary>
    public List<double> ActiveWindows(int channel, double threshold)
    {
        var starts = new List<double>();
        for (var start = 0.0; start < Duration.TotalSeconds; start += 0.02)
            if (Rms(channel, start, start + 0.02) > threshold) starts.Add(start);
        return starts;
    }

    /// <summary>Consecutive 20 ms windows (starts in seconds, as <see cref="ActiveWindows"/> gives them) grouped into runs; End is the end of the last window.</summary>
    public static List<(double Start, double End)> Runs(IEnumerable<double> windows)
    {
        var runs = new List<(double Start, double End)>();
        foreach (var t in windows)
        {
            if (runs.Count > 0 && t - runs[^1].End < 0.03) runs[^1] = (runs[^1].Start, t + 0.02);
            else runs.Add((t, t + 0.02));
        }
        return runs;
    }

    /// <summary>
    /// Seconds from the first to just after the last sample of <paramref name="channel"/> louder than
    /// <paramref name="amplitude"/> within [from, to) — where sound starts and stops, to the sample; null when silent.
    /// </summary>
    public (double Start, double End)? Sounding(int channel, int amplitude, double fromSeconds = 0, double toSeconds = double.MaxValue)
    {
        var first = Math.Max(0, (long)(fromSeconds * SampleRate));
        var last = Math.Min(Frames, toSeconds >= Duration.TotalSeconds ? Frames : (long)(toSeconds * SampleRate));
        long? start = null, end = null;
        for (var frame = first; frame < last; frame++)
        {
            if (Math.Abs((int)Sample(frame, channel)) <= amplitude) continue;
            start ??= frame;
            end = frame + 1;
        }
        return start is { } s && end is { } e ? (s / (double)SampleRate, e / (double)SampleRate) : null;
    }

    private short Sample(long frame, int channel) =>
        BinaryPrimitives.ReadInt16LittleEndian(_bytes.AsSpan(44 + (int)(frame * Channels * 2) + channel * 2));
}
