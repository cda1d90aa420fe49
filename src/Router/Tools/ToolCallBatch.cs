namespace VoicePlatform.Router.Tools;

/// <summary>The server-side calls of one completed response, run together and cancelled together.</summary>
internal sealed class ToolCallBatch(IReadOnlyList<ServerToolCall> calls, bool clientCallsToo, CancellationToken sessionStopped) : IDisposable
{
    private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(sessionStopped);

    public IReadOnlyList<ServerToolCall> Calls { get; } = calls;

    /// <summary>
    /// The same response also called client tools: the client answers those and sends its own response.create, so
    /// this batch only adds its outputs (a second response.create would collide with the client's).
    /// </summary>
    public bool ClientCallsToo { get; } = clientCallsToo;

    public CancellationToken Token => _cancel.Token;

    public string? CancelReason { get; private set; }

    public void Cancel(string reason)
    {
        CancelReason ??= reason;
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    public void Dispose() => _cancel.Dispose();
}
