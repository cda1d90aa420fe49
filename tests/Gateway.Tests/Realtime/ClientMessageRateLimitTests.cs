using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Gateway.Realtime;

namespace VoicePlatform.Gateway.Tests.Realtime;

/// <summary>The per-connection message limit on a fake clock: a token bucket, except for what queued while the connection could not read.</summary>
public class ClientMessageRateLimitTests
{
    private const int PerSecond = 50, Burst = 100;
    private readonly FakeTimeProvider _clock = new();

    private ClientMessageRateLimit Create() => new(PerSecond, Burst, TimeSpan.FromSeconds(10), _clock);

    private static int Passing(ClientMessageRateLimit limit, int attempts) => Enumerable.Range(0, attempts).Count(_ => limit.TryAcquire());

    [Fact]
    public void A_flood_passes_up_to_the_burst_then_the_rate()
    {
        var limit = Create();
        Assert.Equal(Burst, Passing(limit, 1_000));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PerSecond, Passing(limit, 1_000));

        _clock.Advance(TimeSpan.FromMinutes(5)); // idle: the bucket refills to the burst, no further
        Assert.Equal(Burst, Passing(limit, 1_000));
    }

    [Fact]
    public void Messages_that_queued_while_the_connection_could_not_read_pass_when_read_in_a_burst()
    {
        var limit = Create();
        // A client at the allowed rate whose connection stopped reading for 4 s (the input buffer was full): its 200
        // messages arrive at once, on top of a full bucket.
        limit.ReadingPaused(TimeSpan.FromSeconds(4));
        Assert.Equal(4 * PerSecond + Burst, Passing(limit, 1_000));
    }

    [Fact]
    public void Pauses_shorter_than_one_message_at_the_allowed_rate_earn_nothing()
    {
        var limit = Create();
        for (var i = 0; i < 1_000; i++) limit.ReadingPaused(TimeSpan.FromMilliseconds(19)); // one message is 20 ms at 50/s
        Assert.Equal(Burst, Passing(limit, 1_000));
    }

    [Fact]
    public void The_allowance_for_not_reading_is_capped_by_the_longest_pause()
    {
        var limit = Create();
        limit.ReadingPaused(TimeSpan.FromMinutes(1));
        Assert.Equal(10 * PerSecond + Burst, Passing(limit, 10_000));
    }
}
