using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Gateway.ApiKeys.Throttling;

namespace VoicePlatform.Gateway.Tests.ApiKeys.Throttling;

/// <summary>The throttle's windows on a fake clock: refused from the Nth failure until the window ends, partitions apart.</summary>
public class AuthFailureThrottleUnitTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly AuthFailureThrottle _throttle;
    private static readonly AuthFailureThrottleOptions Settings = new() { FailuresPerAddress = 5, FailuresPerKeyId = 3, Window = TimeSpan.FromMinutes(1) };

    public AuthFailureThrottleUnitTests()
    {
        var options = new OptionsMonitorStub(Settings);
        _throttle = new AuthFailureThrottle(options, _clock, NullLogger<AuthFailureThrottle>.Instance);
    }

    private static HttpContext From(string address) => new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(address) } };

    private static string RandomKey() => $"vpk_{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8])}_wrong";

    [Fact]
    public void An_address_is_refused_from_its_limit_until_the_window_that_began_at_its_first_failure_ends()
    {
        for (var i = 0; i < Settings.FailuresPerAddress; i++)
        {
            Assert.Null(_throttle.RefusedFor(From("203.0.113.1"), RandomKey()));
            _throttle.RecordFailure(From("203.0.113.1"), RandomKey());
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(TimeSpan.FromSeconds(55), _throttle.RefusedFor(From("203.0.113.1"), RandomKey()));
        Assert.Null(_throttle.RefusedFor(From("203.0.113.2"), RandomKey())); // another address

        _clock.Advance(TimeSpan.FromSeconds(54));
        Assert.Equal(TimeSpan.FromSeconds(1), _throttle.RefusedFor(From("203.0.113.1"), null));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_throttle.RefusedFor(From("203.0.113.1"), null));
        // A new window counts from zero.
        _throttle.RecordFailure(From("203.0.113.1"), null);
        Assert.Null(_throttle.RefusedFor(From("203.0.113.1"), null));
    }

    [Fact]
    public void A_key_id_is_refused_whatever_address_tries_it_and_other_ids_are_not()
    {
        const string keyId = "0123456789abcdef";
        for (var i = 0; i < Settings.FailuresPerKeyId; i++)
            _throttle.RecordFailure(From($"198.51.100.{i + 1}"), $"vpk_{keyId}_guess{i}");

        Assert.NotNull(_throttle.RefusedFor(From("198.51.100.200"), $"vpk_{keyId}_another-guess"));
        Assert.Null(_throttle.RefusedFor(From("198.51.100.200"), "vpk_fedcba9876543210_secret"));
        Assert.Null(_throttle.RefusedFor(From("198.51.100.200"), null));
    }

    [Fact]
    public void An_ipv6_client_is_one_partition_per_64_and_mapped_ipv4_is_its_ipv4_address()
    {
        for (var i = 0; i < Settings.FailuresPerAddress; i++) _throttle.RecordFailure(From($"2001:db8:1:2::{i + 1:x}"), null);
        Assert.NotNull(_throttle.RefusedFor(From("2001:db8:1:2:ffff::1"), null));
        Assert.Null(_throttle.RefusedFor(From("2001:db8:1:3::1"), null));

        for (var i = 0; i < Settings.FailuresPerAddress; i++) _throttle.RecordFailure(From("::ffff:192.0.2.7"), null);
        Assert.NotNull(_throttle.RefusedFor(From("192.0.2.7"), null));
    }

    [Fact]
    public void Tracked_partitions_stay_bounded()
    {
        var windows = new FailureWindows(maxPartitions: 100);
        var now = _clock.GetUtcNow();
        for (var i = 0; i < 1_000; i++) windows.Record($"p{i}", TimeSpan.FromMinutes(1), now);
        Assert.InRange(windows.Count, 1, 100);
    }

    private sealed class OptionsMonitorStub(AuthFailureThrottleOptions value) : IOptionsMonitor<AuthFailureThrottleOptions>
    {
        public AuthFailureThrottleOptions CurrentValue => value;
        public AuthFailureThrottleOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<AuthFailureThrottleOptions, string?> listener) => null;
    }
}
