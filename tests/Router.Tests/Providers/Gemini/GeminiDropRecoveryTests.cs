using VoicePlatform.Router.Providers.Gemini;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>Which unannounced Gemini closes get a new connection, and how many a minute. No socket.</summary>
public class GeminiDropRecoveryTests
{
    [Theory]
    [InlineData(1006, true)] // no close frame: network
    [InlineData(1001, true)]
    [InlineData(1011, true)]
    [InlineData(1012, true)]
    [InlineData(1013, true)]
    [InlineData(1014, true)]
    [InlineData(1007, false)] // bad request: it would only recur
    [InlineData(1008, false)] // key, quota, ended session
    [InlineData(1000, false)]
    public void Only_a_close_that_could_be_transient_is_worth_a_reconnect(int code, bool transient) =>
        Assert.Equal(transient, GeminiDropRecovery.IsTransient(new UpstreamClose(code, "")));

    [Fact]
    public void Drops_are_recovered_up_to_the_allowance_and_then_end_the_session()
    {
        using var recovery = new GeminiDropRecovery(new GeminiProviderOptions { DropRecoveriesPerMinute = 2 });

        Assert.False(recovery.TryRecover(new UpstreamClose(1008, "quota")));
        Assert.True(recovery.TryRecover(new UpstreamClose(1006, "")));
        Assert.True(recovery.TryRecover(new UpstreamClose(1011, "internal")));
        Assert.False(recovery.TryRecover(new UpstreamClose(1006, "")));
    }

    [Fact]
    public void An_allowance_of_zero_turns_recovery_off()
    {
        using var recovery = new GeminiDropRecovery(new GeminiProviderOptions { DropRecoveriesPerMinute = 0 });

        Assert.False(recovery.TryRecover(new UpstreamClose(1006, "")));
    }
}
