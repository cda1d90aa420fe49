using System.Diagnostics;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Recordings;

/// <summary>When a frame was due (by the microphone's clock) and when it actually left, in seconds of the test's clock.</summary>
public readonly record struct PacedFrame(double Due, double Sent);

/// <summary>A client sending audio as a microphone delivers it.</summary>
public static class PacedMicrophone
{
    private const int FrameBytes = 960; // 20 ms at 24 kHz PCM16

    /// <summary>
    /// 20 ms frames at real-time pace: after a stall of this process the late frames go out at once, as a client
    /// catching up would send them.
    /// </summary>
    public static async Task<List<PacedFrame>> SendAsync(RealtimeTestClient client, Stopwatch clock, byte[] pcm)
    {
        var sent = new List<PacedFrame>();
        var origin = clock.Elapsed.TotalSeconds;
        var started = Stopwatch.StartNew();
        for (var offset = 0; offset < pcm.Length; offset += FrameBytes)
        {
            var due = TimeSpan.FromMilliseconds(offset / FrameBytes * 20);
            if (due > started.Elapsed) await Task.Delay(due - started.Elapsed);
            sent.Add(new PacedFrame(origin + due.TotalSeconds, clock.Elapsed.TotalSeconds));
            await client.AppendAsync(pcm[offset..Math.Min(pcm.Length, offset + FrameBytes)]);
        }
        return sent;
    }
}
