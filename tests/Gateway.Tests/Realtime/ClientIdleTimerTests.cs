using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Gateway.Realtime;

namespace VoicePlatform.Gateway.Tests.Realtime;

/// <summary>The idle timeout on a fake clock: a warning before the close, and any client message starts the wait over.</summary>
public class ClientIdleTimerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Warning = TimeSpan.FromSeconds(30);

    private sealed class Recorder
    {
        public List<TimeSpan> Warnings { get; } = [];
        public int Expired { get; private set; }

        public ClientIdleTimer Start(FakeTimeProvider clock, TimeSpan? timeout = null) => new(timeout ?? Timeout, Warning, clock,
            closesIn =>
            {
                Warnings.Add(closesIn);
                return Task.CompletedTask;
            },
            () =>
            {
                Expired++;
                return Task.CompletedTask;
            });
    }

    [Fact]
    public void A_quiet_client_is_warned_then_expired_once()
    {
        var clock = new FakeTimeProvider();
        var recorder = new Recorder();
        using var timer = recorder.Start(clock);

        clock.Advance(Timeout - Warning - TimeSpan.FromMilliseconds(1));
        Assert.Empty(recorder.Warnings);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([Warning], recorder.Warnings);
        Assert.Equal(0, recorder.Expired);

        clock.Advance(Warning - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, recorder.Expired);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, recorder.Expired);

        clock.Advance(Timeout * 3);
        Assert.Single(recorder.Warnings);
        Assert.Equal(1, recorder.Expired);
    }

    [Fact]
    public void A_message_before_the_warning_starts_the_wait_over()
    {
        var clock = new FakeTimeProvider();
        var recorder = new Recorder();
        using var timer = recorder.Start(clock);

        clock.Advance(TimeSpan.FromMinutes(4));
        timer.Touch();
        clock.Advance(TimeSpan.FromMinutes(4)); // 8 minutes in, 4 since the message
        Assert.Empty(recorder.Warnings);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal([Warning], recorder.Warnings);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, recorder.Expired);
    }

    [Fact]
    public void A_message_after_the_warning_cancels_the_close_and_a_later_quiet_period_warns_again()
    {
        var clock = new FakeTimeProvider();
        var recorder = new Recorder();
        using var timer = recorder.Start(clock);

        clock.Advance(Timeout - TimeSpan.FromSeconds(10)); // warned
        Assert.Single(recorder.Warnings);
        timer.Touch();
        clock.Advance(TimeSpan.FromSeconds(10)); // the original close time passes
        Assert.Equal(0, recorder.Expired);

        clock.Advance(Timeout - Warning - TimeSpan.FromSeconds(10)); // a full quiet period since the message, minus the warning
        Assert.Equal(2, recorder.Warnings.Count);
        Assert.Equal(Warning, recorder.Warnings[1]);
        clock.Advance(Warning);
        Assert.Equal(1, recorder.Expired);
    }

    [Fact]
    public void A_zero_timeout_never_fires()
    {
        var clock = new FakeTimeProvider();
        var recorder = new Recorder();
        using var timer = recorder.Start(clock, TimeSpan.Zero);
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Empty(recorder.Warnings);
        Assert.Equal(0, recorder.Expired);
    }

    [Fact]
    public void Nothing_fires_after_dispose()
    {
        var clock = new FakeTimeProvider();
        var recorder = new Recorder();
        var timer = recorder.Start(clock);
        timer.Dispose();
        clock.Advance(Timeout * 2);
        Assert.Empty(recorder.Warnings);
        Assert.Equal(0, recorder.Expired);
    }
}
