using VoicePlatform.Router.Providers.Gemini;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>Which resumption handle a new Gemini connection may resume with. No socket.</summary>
public class GeminiResumptionHandleTests
{
    [Fact]
    public void A_resumable_update_is_usable_until_an_update_says_not_resumable()
    {
        var resumption = new GeminiResumptionHandle();
        Assert.Null(resumption.Usable);

        Assert.True(resumption.Offer("h1", 4));
        Assert.Equal("h1", resumption.Usable);
        Assert.Equal(4, resumption.ConsumedIndex);

        resumption.NotResumableNow(); // mid-generation
        Assert.Null(resumption.Usable);
        Assert.Equal("h1", resumption.Value);
    }

    [Fact]
    public void After_a_history_seed_a_handle_must_have_consumed_it()
    {
        var resumption = new GeminiResumptionHandle();
        resumption.Seeded(10);

        Assert.False(resumption.Offer("before", 9)); // its state predates the seed: it would lose the history
        Assert.Null(resumption.Usable);
        Assert.True(resumption.Offer("after", 10));
        Assert.Equal("after", resumption.Usable);
        Assert.True(resumption.Offer("later", 3)); // the seed is covered once; later handles need no check
    }

    [Fact]
    public void Without_an_index_a_turn_completed_after_the_seed_proves_a_handle_covers_it()
    {
        var resumption = new GeminiResumptionHandle();
        resumption.TurnCompleted(); // before any seed: proves nothing
        resumption.Seeded(5);
        Assert.False(resumption.Offer("h", null));

        resumption.TurnCompleted();
        Assert.True(resumption.Offer("h", null));
        Assert.Null(resumption.ConsumedIndex);
    }

    [Fact]
    public void A_resumed_connection_drops_the_seed_check_and_a_refused_handle_is_forgotten()
    {
        var resumption = new GeminiResumptionHandle();
        resumption.Seeded(5);
        resumption.Seeded(null); // resumed: the handle's state holds the earlier seed
        Assert.True(resumption.Offer("h", 1));

        resumption.ReplayTaken();
        Assert.Null(resumption.ConsumedIndex);
        Assert.Equal("h", resumption.Usable);

        resumption.Forget();
        Assert.Null(resumption.Value);
        Assert.Null(resumption.Usable);

        resumption.Restored("checkpointed");
        Assert.Equal("checkpointed", resumption.Usable);
        Assert.Null(resumption.ConsumedIndex);
    }
}
