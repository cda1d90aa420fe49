using VoicePlatform.Router.Checkpoints;
using VoicePlatform.Router.Routing.Resolution;

namespace VoicePlatform.Router.Tests.Routing.Sessions;

public class SessionRoutingTests
{
    private static ResolvedTarget Target(string id)
    {
        Assert.True(TestModelCatalog.Models.TryResolve(id, out var model));
        return new ResolvedTarget(model, null);
    }

    [Fact]
    public void The_chain_after_the_answered_model_survives_the_checkpoint()
    {
        var gpt = Target("gpt-realtime-2");
        var gemini = Target("gemini-3.1-flash-live");
        var plan = new RouteResolution("carry-on", null, [gpt, gemini]);

        var onFirst = SessionRouting.From(plan, gpt);
        Assert.Equal(["gemini-3.1-flash-live"], onFirst.FallbackAfter);
        var restored = SessionRouting.FromSnapshot(new SessionSnapshot("sess_1", onFirst.ToCheckpointFields("openai"), [], null, 1))!;
        Assert.Equal(("carry-on", "gpt-realtime-2"), (restored.Route, restored.Model));
        Assert.Equal(["gemini-3.1-flash-live"], restored.FallbackAfter);

        var onLast = SessionRouting.From(plan, gemini);
        Assert.Empty(onLast.FallbackAfter);
        Assert.Empty(SessionRouting.FromSnapshot(new SessionSnapshot("sess_1", onLast.ToCheckpointFields("google"), [], null, 1))!.FallbackAfter);
    }
}
