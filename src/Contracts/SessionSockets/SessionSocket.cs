using System.Net.WebSockets;
using System.Text;
using Grpc.Core;

namespace VoicePlatform.Contracts.SessionSockets;

/// <summary>
/// The Gateway↔Router session stream over a WebSocket instead of gRPC: the same <c>SessionClientFrame</c> and
/// <c>SessionServerFrame</c> messages, one protobuf message per binary WebSocket message, on the Router's HTTP/1.1
/// port. Why: per 20 ms frame, gRPC over HTTP/2 passes through Kestrel's HTTP/2 loop, the HTTP/2 client's read and
/// write loops and Grpc.Net's stream reader and writer, each a thread-pool hand-off; a WebSocket is one socket read
/// and one socket write per message on each side. The call's outcome is what gRPC's status was: a normal close is
/// success, close code 4000 + <see cref="StatusCode"/> carries a failure with its detail as the close reason.
/// </summary>
public static class SessionSocket
{
    /// <summary>The Router's endpoint (HTTP/1.1 WebSocket upgrade).</summary>
    public const string Path = "/router/v1/sessions";

    /// <summary>Sub-protocol both sides name, so that a future framing can be told apart.</summary>
    public const string SubProtocol = "voiceplatform.session.v1";

    private const int StatusCloseBase = 4000;
    private const int MaxCloseReasonBytes = 123; // RFC 6455: a close frame's payload is at most 125 bytes, 2 are the code

    /// <summary>The close that reports <paramref name="status"/> (OK is a normal close).</summary>
    public static (WebSocketCloseStatus Status, string? Reason) CloseFor(Status status) =>
        status.StatusCode == StatusCode.OK
            ? (WebSocketCloseStatus.NormalClosure, null)
            : ((WebSocketCloseStatus)(StatusCloseBase + (int)status.StatusCode), Truncate(status.Detail));

    /// <summary>The gRPC status a close reports: null for a normal close, else the failure it carries.</summary>
    public static Status? StatusOf(WebSocketCloseStatus? closeStatus, string? reason)
    {
        var code = (int?)closeStatus;
        if (code is null or (int)WebSocketCloseStatus.NormalClosure) return null;
        if (code is >= StatusCloseBase and <= StatusCloseBase + (int)StatusCode.Unauthenticated)
            return new Status((StatusCode)(code.Value - StatusCloseBase), reason ?? "");
        return new Status(StatusCode.Unavailable, $"The session stream was closed with {code}{(string.IsNullOrEmpty(reason) ? "" : $" ({reason})")}.");
    }

    /// <summary>A broken connection reads like a gRPC stream that broke.</summary>
    public static RpcException Broken(Exception e) =>
        new(new Status(StatusCode.Unavailable, $"The session stream broke: {e.Message}", e));

    private static string? Truncate(string? detail)
    {
        if (string.IsNullOrEmpty(detail) || Encoding.UTF8.GetByteCount(detail) <= MaxCloseReasonBytes) return detail;
        var length = detail.Length;
        while (Encoding.UTF8.GetByteCount(detail.AsSpan(0, length)) > MaxCloseReasonBytes - 3) length--;
        if (length > 0 && char.IsHighSurrogate(detail[length - 1])) length--;
        return string.Concat(detail.AsSpan(0, length), "...");
    }
}
