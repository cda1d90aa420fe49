using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.Quality;
using VoicePlatform.Gateway.Realtime;

namespace VoicePlatform.Gateway.Tests.Realtime;

public class RouterStreamEndTests
{
    [Theory]
    [InlineData(SessionEndKind.HandOff, 1012, SessionEndKind.HandOff)]
    [InlineData(SessionEndKind.Superseded, 4001, SessionEndKind.Superseded)]
    [InlineData(SessionEndKind.Final, 1012, SessionEndKind.Final)] // the kind decides, not the number
    [InlineData(SessionEndKind.Final, 1000, SessionEndKind.Final)]
    // A Router from before SessionEnd.kind (a rolling update): the close status says it.
    [InlineData(SessionEndKind.Unspecified, 1012, SessionEndKind.HandOff)]
    [InlineData(SessionEndKind.Unspecified, 4001, SessionEndKind.Superseded)]
    [InlineData(SessionEndKind.Unspecified, 1011, SessionEndKind.Final)]
    public void The_kind_of_a_Router_end_is_explicit_or_read_from_an_older_Routers_close_status(SessionEndKind sent, int closeStatus, SessionEndKind meant) =>
        Assert.Equal(meant, RouterStreamEnd.KindOf(new SessionEnd { Kind = sent, CloseStatus = closeStatus, Reason = "r" }));

    [Theory]
    [InlineData(SessionEndKind.Superseded, 4001, QualityEndReasons.ResumedElsewhere)]
    [InlineData(SessionEndKind.Final, 1000, QualityEndReasons.SessionEnded)]
    [InlineData(SessionEndKind.Final, 0, QualityEndReasons.SessionEnded)]
    [InlineData(SessionEndKind.Final, 1011, QualityEndReasons.ProviderError)]
    [InlineData(SessionEndKind.Final, 1008, QualityEndReasons.PlatformError)]
    public void A_Router_end_maps_to_one_quality_end_reason(SessionEndKind kind, int closeStatus, string reason) =>
        Assert.Equal(reason, QualityEndReasons.FromRouterEnd(kind, closeStatus));
}
