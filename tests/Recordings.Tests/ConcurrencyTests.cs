using static VoicePlatform.Recordings.Tests.Signal;

namespace VoicePlatform.Recordings.Tests;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly RecorderFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Receive_loop_send_loop_and_flushes_may_run_on_different_threads()
    {
        await using var recorder = _fixture.CreateRecorder(new RecordingOptions { PartDuration = Seconds(1), FinalizationDelay = Seconds(0.5) });
        var callerSpeech = Ramp(4 * Rate);
        var assistantSpeech = Ramp(4 * Rate, first: 15_000);
        var chunk = TimeSpan.FromMilliseconds(20);

        // The session clock is simulated, so each loop passes its own arrival times; flushes trail both.
        var receive = Task.Run(() =>
        {
            foreach (var (part, offset) in Split(callerSpeech, chunk))
                recorder.AppendCaller(part, Seconds(1) + TimeSpan.FromTicks(offset / 2 * TimeSpan.TicksPerSecond / Rate));
        });
        var send = Task.Run(() =>
        {
            foreach (var (part, _) in Split(assistantSpeech, chunk))
                recorder.AppendAssistant(part, Seconds(1), "item_1"); // queued: plays 1 s – 5 s
        });
        var flush = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
                await recorder.FlushAsync(Seconds(i * 0.05)); // never catches up with 1 s: nothing appended is finalised early
        });
        await Task.WhenAll(receive, send, flush);
        var wav = _fixture.ReadWav(await recorder.CompleteAsync(Seconds(6)));

        Assert.Equal(Samples(callerSpeech), wav.Left[Rate..(5 * Rate)]);
        Assert.Equal(Samples(assistantSpeech), wav.Right[Rate..(5 * Rate)]);
        Assert.Equal(6 * Rate, wav.Frames);
    }
}
