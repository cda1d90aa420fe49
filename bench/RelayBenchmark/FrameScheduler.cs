using System.Diagnostics;

namespace VoicePlatform.Bench.RelayBenchmark;

/// <summary>
/// One clock for every session. Sessions are spread over 20 one-millisecond slots (so 1,000 sessions do not all send
/// in the same instant, as independent callers would not), and frame k of a session in slot s is due at
/// <c>start + s ms + k × 20 ms</c>: absolute deadlines, so no session drifts. A dedicated thread keeps the clock; the
/// sends themselves run on the thread pool in small batches so both cores can share them.
/// </summary>
public sealed class FrameScheduler
{
    private const int Slots = AudioFrames.FrameMs; // one per millisecond of the frame period
    private const int BatchSize = 32;

    private readonly BenchSession[][][] _batches; // [slot][batch][session]
    private readonly Thread _thread;
    private volatile bool _stop;

    /// <param name="sessions">Sessions in the order they should be spread over the slots (interleave the paths).</param>
    public FrameScheduler(IReadOnlyList<BenchSession> sessions)
    {
        var slots = Enumerable.Range(0, Slots).Select(_ => new List<BenchSession>()).ToArray();
        for (var i = 0; i < sessions.Count; i++) slots[i % Slots].Add(sessions[i]);
        _batches = slots.Select(s => s.Chunk(BatchSize).ToArray()).ToArray();
        _thread = new Thread(Run) { IsBackground = true, Name = "frame-clock", Priority = ThreadPriority.AboveNormal };
        Sessions = sessions;
    }

    public IReadOnlyList<BenchSession> Sessions { get; }

    /// <summary>Stopwatch timestamp of slot 0's first frame.</summary>
    public long Start { get; private set; }

    public static long MillisecondTicks => Stopwatch.Frequency / 1000;

    public void Begin()
    {
        Start = Stopwatch.GetTimestamp() + 20 * MillisecondTicks;
        for (var slot = 0; slot < Slots; slot++)
        {
            foreach (var batch in _batches[slot])
            {
                foreach (var session in batch) session.DueBase = Start + slot * MillisecondTicks;
            }
        }
        _thread.Start();
    }

    public void End()
    {
        _stop = true;
        _thread.Join();
        foreach (var session in Sessions) session.Stop();
    }

    private void Run()
    {
        long tick = 0;
        while (!_stop)
        {
            var due = Start + tick * MillisecondTicks;
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                // Sleep(1) wakes 1.0-1.1 ms later on Linux: a frame may leave up to ~1 ms late, never early, and
                // latency is measured from the actual send, so that jitter does not count. Spinning would steal a core.
                Thread.Sleep(1);
                continue;
            }
            var frames = (int)(tick / Slots) + 1;
            foreach (var batch in _batches[tick % Slots])
            {
                ThreadPool.UnsafeQueueUserWorkItem(static state =>
                {
                    foreach (var session in state.Batch) session.Advance(state.Frames);
                }, (Batch: batch, Frames: frames), preferLocal: false);
            }
            tick++;
        }
    }
}
