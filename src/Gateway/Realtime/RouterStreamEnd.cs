using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>What a Router's <see cref="SessionEnd"/> means for the session.</summary>
public static class RouterStreamEnd
{
    /// <summary>
    /// Its kind; a Router older than <see cref="SessionEnd.Kind"/> said it with the close status alone (1012 hand-off,
    /// 4001 superseded), which is still understood so that a rolling update with mixed versions keeps sessions.
    /// </summary>
    public static SessionEndKind KindOf(SessionEnd end) => end.Kind != SessionEndKind.Unspecified ? end.Kind : end.CloseStatus switch
    {
        RealtimeCloseCodes.ServiceRestart => SessionEndKind.HandOff,
        RealtimeCloseCodes.ResumedElsewhere => SessionEndKind.Superseded,
        _ => SessionEndKind.Final,
    };
}
