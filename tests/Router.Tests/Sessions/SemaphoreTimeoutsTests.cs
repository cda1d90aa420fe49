using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Sessions;

/// <summary>Semaphore waits bounded on a <see cref="TimeProvider"/>, as the OpenAI rollover waits for a turn boundary.</summary>
public sealed class SemaphoreTimeoutsTests
{
    [Fact]
    public async Task A_wait_times_out_on_the_given_clock_and_leaves_no_waiter_to_swallow_a_later_release()
    {
        var time = new FakeTimeProvider();
        using var signal = new SemaphoreSlim(0, 1);
        var wait = signal.WaitAsync(TimeSpan.FromMilliseconds(250), time, CancellationToken.None);
        Assert.False(wait.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.False(await wait.WaitAsync(TimeSpan.FromSeconds(5)));
        signal.Release();
        Assert.Equal(1, signal.CurrentCount);
    }

    [Fact]
    public async Task A_release_before_the_timeout_enters()
    {
        var time = new FakeTimeProvider();
        using var signal = new SemaphoreSlim(0, 1);
        var wait = signal.WaitAsync(TimeSpan.FromMilliseconds(250), time, CancellationToken.None);
        signal.Release();
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, signal.CurrentCount);
    }

    [Fact]
    public async Task A_zero_timeout_takes_what_is_there_without_waiting_and_the_caller_s_cancellation_still_throws()
    {
        var time = new FakeTimeProvider();
        using var signal = new SemaphoreSlim(0, 1);
        Assert.False(await signal.WaitAsync(TimeSpan.Zero, time, CancellationToken.None));
        signal.Release();
        Assert.True(await signal.WaitAsync(TimeSpan.Zero, time, CancellationToken.None));

        using var cancelled = new CancellationTokenSource();
        var wait = signal.WaitAsync(TimeSpan.FromSeconds(1), time, cancelled.Token);
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
