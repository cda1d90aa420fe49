using System.Globalization;
using System.Net.WebSockets;
using VoicePlatform.Emulators.OpenAIRealtime.Configuration;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// Server-initiated endings (the session cap, injected faults, shutdown) and the close handshake. Runs under the
/// session's gate; once <see cref="IsClosing"/> is set, nothing else is sent.
/// </summary>
internal sealed class SessionCloser(RealtimeSession session, WebSocket ws, SessionBackgroundTasks background)
{
    private int _messageCount;
    private string? _triggeredFault; // set by a user message naming a fault (Faults:TextTriggers), acted on after it

    private FaultOptions Faults => session.Options.Faults;

    /// <summary>Set once the server said goodbye (or answered the client's close); the receive loop only drains after.</summary>
    public bool IsClosing { get; private set; }

    /// <summary>The session cap and Faults:CloseAfterSeconds, on the session's clock.</summary>
    public void StartTimers()
    {
        var cap = session.SessionCap;
        if (cap > TimeSpan.Zero)
        {
            var text = $"Your session hit the maximum duration of {DescribeDuration(cap)}.";
            // Error event first, then close 1001 with the same text (protocol §1). Azure and xAI end the same way as
            // far as anyone has recorded, with their own caps.
            background.Track(CloseAfterAsync(cap,
                new RealtimeError(RealtimeError.InvalidRequest, "session_expired", text, null), (int)WebSocketCloseStatus.EndpointUnavailable, text));
        }
        if (Faults.CloseAfterSeconds > 0)
        {
            background.Track(CloseAfterAsync(TimeSpan.FromSeconds(Faults.CloseAfterSeconds), FaultError(Faults.ErrorCode), Faults.CloseCode, Faults.CloseReason));
        }
    }

    /// <summary>Host shutdown: say goodbye like a real server going away instead of dropping the TCP connection.</summary>
    public void OnHostStopping() => background.Track(CloseAsync(null, (int)WebSocketCloseStatus.EndpointUnavailable, "Server shutting down").AsTask());

    /// <summary>A user message named a fault (Faults:TextTriggers); acted on after the message is handled.</summary>
    public void TriggerAfterMessage(string fault) => _triggeredFault ??= fault;

    /// <summary>After each handled client message: a triggered fault, or Faults:CloseAfterMessages.</summary>
    public async ValueTask AfterMessageAsync()
    {
        _messageCount++;
        if (_triggeredFault is { } fault)
        {
            _triggeredFault = null;
            await TriggeredFaultAsync(fault);
            return;
        }
        if (Faults.CloseAfterMessages > 0 && _messageCount >= Faults.CloseAfterMessages)
        {
            await CloseAsync(FaultError(Faults.ErrorCode), Faults.CloseCode, Faults.CloseReason);
        }
    }

    /// <summary>The client closed first: echo its close frame.</summary>
    public async ValueTask AnswerClientCloseAsync()
    {
        await session.Gate.WaitAsync(session.Aborted);
        try
        {
            IsClosing = true;
            await ws.CloseOutputAsync(ws.CloseStatus ?? WebSocketCloseStatus.NormalClosure, ws.CloseStatusDescription, CancellationToken.None);
        }
        finally
        {
            session.Gate.Release();
        }
    }

    /// <summary>
    /// A fault a user message asked for (<see cref="FaultOptions.TextTriggers"/>): <c>drop</c> breaks the
    /// connection without a close frame (a crash, a network cut); any other code is sent as that error, then the fault close.
    /// </summary>
    private async ValueTask TriggeredFaultAsync(string code)
    {
        if (code == "drop")
        {
            IsClosing = true;
            ws.Abort();
            return;
        }
        await CloseAsync(FaultError(code), Faults.CloseCode, Faults.CloseReason);
    }

    private async Task CloseAfterAsync(TimeSpan delay, RealtimeError? error, int code, string reason)
    {
        try
        {
            await Task.Delay(delay, session.Time, session.Aborted);
            await CloseAsync(error, code, reason);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Sends the optional error event, then a close frame; the receive loop drains until the client answers.</summary>
    public async ValueTask CloseAsync(RealtimeError? error, int code, string reason)
    {
        try
        {
            await session.Gate.WaitAsync(session.Aborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }
        try
        {
            if (IsClosing || ws.State != WebSocketState.Open)
            {
                return;
            }
            IsClosing = true;
            if (error is not null)
            {
                await session.SendErrorAsync(error, null);
            }
            await ws.CloseOutputAsync(SendableCloseCode(code), ClampReason(reason), CancellationToken.None);
        }
        finally
        {
            session.Gate.Release();
        }
        background.Track(AbortIfClientSilentAsync());
    }

    /// <summary>Codes a server may put on the wire; a misconfigured fault code falls back to 1011.</summary>
    private static WebSocketCloseStatus SendableCloseCode(int code) =>
        code is >= 1000 and <= 4999 and not (1004 or 1005 or 1006 or 1015) and not (> 1015 and < 3000)
            ? (WebSocketCloseStatus)code
            : WebSocketCloseStatus.InternalServerError;

    /// <summary>A close reason is limited to 123 bytes of UTF-8.</summary>
    private static string ClampReason(string reason)
    {
        var text = reason;
        while (System.Text.Encoding.UTF8.GetByteCount(text) > 123)
        {
            text = text[..^1];
        }
        return text;
    }

    private async Task AbortIfClientSilentAsync()
    {
        try
        {
            await Task.Delay(session.Options.CloseHandshakeTimeout, session.Time, session.Aborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (ws.State != WebSocketState.Closed)
        {
            ws.Abort();
        }
    }

    private static RealtimeError? FaultError(string? code) => code switch
    {
        null or "" => null,
        "insufficient_quota" => new RealtimeError("insufficient_quota", "insufficient_quota",
            "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.", null),
        "invalid_api_key" => new RealtimeError(RealtimeError.InvalidRequest, "invalid_api_key",
            "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.", null),
        "server_error" => new RealtimeError("server_error", "server_error",
            "The server had an error while processing your request. Sorry about that!", null),
        var other => new RealtimeError(RealtimeError.InvalidRequest, other, $"Emulated fault: {other}.", null),
    };

    private static string DescribeDuration(TimeSpan d)
    {
        if (d.TotalSeconds % 60 == 0)
        {
            var minutes = (int)d.TotalMinutes;
            return minutes == 1 ? "1 minute" : $"{minutes} minutes";
        }
        return $"{d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} seconds";
    }
}
