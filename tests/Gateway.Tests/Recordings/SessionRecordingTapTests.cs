using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Gateway.Recordings;
using VoicePlatform.Recordings;

namespace VoicePlatform.Gateway.Tests.Recordings;

/// <summary>The session tap on its own: what reaches the recorder, when, and what the client's truncate removes.</summary>
public sealed class SessionRecordingTapTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"vp-tap-{Guid.NewGuid():N}");
    private readonly Guid _tenant = Guid.NewGuid();

    // The session timeline runs on a fake clock: the tests move it instead of waiting for it.
    private readonly FakeTimeProvider _time = new();

    private SessionRecordingTap Tap(SessionRecordingSwitch recording, string? segment = null) =>
        new(recording, new LocalDirectoryRecordingStore(_directory), null, _tenant, "sess_tap", segment, _time.GetTimestamp(),
            TimeSpan.FromMilliseconds(100), NullLogger.Instance, _time);

    [Fact]
    public async Task A_session_that_is_never_switched_on_stores_nothing()
    {
        await using var tap = Tap(new SessionRecordingSwitch(false));
        tap.Caller(Tone(24_000, 4800), 24_000, tap.Now);
        tap.Assistant(Tone(24_000, 4800), 24_000, "item_1", tap.Now);
        Assert.Null(await tap.CompleteAsync());
        Assert.False(Directory.Exists(_directory) && Directory.EnumerateFileSystemEntries(_directory).Any());
    }

    [Fact]
    public async Task Caller_left_assistant_right_and_truncation_removes_what_was_not_played()
    {
        var recording = new SessionRecordingSwitch(false);
        await using var tap = Tap(recording);
        recording.Override(true);
        tap.Caller(Tone(24_000, 12_000), 24_000, tap.Now); // 0.5 s of caller audio now
        tap.Assistant(Tone(24_000, 24_000), 24_000, "item_a", tap.Now); // 1 s of reply, queued from now
        tap.ClientEvent(Encoding.UTF8.GetBytes("""{"type":"conversation.item.truncate","item_id":"item_a","content_index":0,"audio_end_ms":300}"""));
        _time.Advance(TimeSpan.FromMilliseconds(1200));
        Assert.Equal(TimeSpan.FromMilliseconds(1200), tap.Now);
        var result = await tap.CompleteAsync();

        Assert.NotNull(result);
        Assert.Equal($"recordings/{_tenant}/sess_tap/recording.wav", result.Key);
        Assert.InRange(result.Duration.TotalSeconds, 1.2, 1.6);
        var wav = await File.ReadAllBytesAsync(Path.Combine(_directory, result.Key));
        Assert.InRange(ActiveSeconds(wav, channel: 0), 0.45, 0.55);
        Assert.InRange(ActiveSeconds(wav, channel: 1), 0.25, 0.35); // 300 ms played of the 1 s sent
    }

    [Fact]
    public async Task Assistant_audio_is_placed_where_its_write_started_though_the_tap_gets_it_later()
    {
        var recording = new SessionRecordingSwitch(false);
        await using var tap = Tap(recording);
        recording.Override(true);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        var writeStarts = tap.Now; // the instant the quality meter (the transcript's cue) stamps too
        _time.Advance(TimeSpan.FromMilliseconds(80)); // translating the chunk and the write took that long
        tap.Assistant(Tone(24_000, 12_000), 24_000, "item_a", writeStarts); // 0.5 s, the session's first: the recorder starts now
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        var result = await tap.CompleteAsync();

        var wav = await File.ReadAllBytesAsync(Path.Combine(_directory, result!.Key));
        // The tone's first sample is zero: sound starts at its second.
        Assert.Equal(300 * 24 + 1, FirstSoundingFrame(wav, channel: 1));
        Assert.InRange(ActiveSeconds(wav, channel: 1), 0.45, 0.55);
    }

    [Fact]
    public async Task Caller_audio_is_placed_where_it_was_forwarded_though_the_tap_gets_it_later()
    {
        var recording = new SessionRecordingSwitch(false);
        await using var tap = Tap(recording);
        recording.Override(true);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        var forwardedAt = tap.Now; // the instant the quality meter (the user's cue) uses too
        _time.Advance(TimeSpan.FromMilliseconds(80));
        tap.Caller(Tone(24_000, 12_000), 24_000, forwardedAt); // 0.5 s, the session's first: the recorder starts now
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        var result = await tap.CompleteAsync();

        var wav = await File.ReadAllBytesAsync(Path.Combine(_directory, result!.Key));
        Assert.Equal(300 * 24 + 1, FirstSoundingFrame(wav, channel: 0));
        Assert.InRange(ActiveSeconds(wav, channel: 0), 0.45, 0.55);
    }

    [Fact]
    public async Task Recording_switched_on_mid_session_starts_there_and_g711_rate_input_is_resampled()
    {
        var recording = new SessionRecordingSwitch(false);
        await using var tap = Tap(recording, segment: "resumed-1");
        tap.Caller(Tone(8_000, 4_000), 8_000, tap.Now); // not recorded: still off
        _time.Advance(TimeSpan.FromMilliseconds(500));
        recording.Override(true);
        tap.Caller(Tone(8_000, 4_000), 8_000, tap.Now); // 0.5 s at 8 kHz, placed where it arrived
        _time.Advance(TimeSpan.FromMilliseconds(700));
        var result = await tap.CompleteAsync();

        Assert.Equal($"recordings/{_tenant}/sess_tap/resumed-1/recording.wav", result!.Key);
        var wav = await File.ReadAllBytesAsync(Path.Combine(_directory, result.Key));
        Assert.Equal(24_000, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)));
        Assert.Equal(0, Rms(wav, 0, 0, 0.45)); // before the switch: silence
        Assert.InRange(ActiveSeconds(wav, channel: 0), 0.4, 0.55);
    }

    private static byte[] Tone(int rate, int samples)
    {
        var pcm = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
            BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(i * 2), (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / (double)rate)));
        return pcm;
    }

    private static int FirstSoundingFrame(byte[] wav, int channel)
    {
        var frames = (wav.Length - 44) / 4;
        for (var frame = 0; frame < frames; frame++)
            if (BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(44 + frame * 4 + channel * 2)) != 0) return frame;
        return -1;
    }

    private static double ActiveSeconds(byte[] wav, int channel)
    {
        var frames = (wav.Length - 44) / 4;
        var active = 0;
        for (var start = 0; start + 240 <= frames; start += 240)
            if (Rms(wav, channel, start / 24_000.0, (start + 240) / 24_000.0) > 1000) active++;
        return active * 0.01;
    }

    private static double Rms(byte[] wav, int channel, double from, double to)
    {
        double sum = 0;
        var first = (int)(from * 24_000);
        var last = Math.Min((wav.Length - 44) / 4, (int)(to * 24_000));
        for (var frame = first; frame < last; frame++)
        {
            double sample = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(44 + frame * 4 + channel * 2));
            sum += sample * sample;
        }
        return last > first ? Math.Sqrt(sum / (last - first)) : 0;
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
