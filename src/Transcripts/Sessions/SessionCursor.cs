using Grpc.Core;
using System.Text;

namespace VoicePlatform.Transcripts.Sessions;

/// <summary>Opaque pagination cursor: base64 of "ticks|session id".</summary>
public static class SessionCursor
{
    public static string Encode(DateTimeOffset startedAt, string sessionId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{startedAt.UtcTicks}|{sessionId}"));

    public static (DateTimeOffset? StartedAt, string? SessionId) Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) return (null, null);
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split('|', 2);
            return (new DateTimeOffset(long.Parse(parts[0]), TimeSpan.Zero), parts[1]);
        }
        catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Invalid cursor"));
        }
    }
}
