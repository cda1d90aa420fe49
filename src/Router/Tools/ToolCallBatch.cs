namespace VoicePlatform.Router.Tools;

/// <summary>
/// The server-side calls of one completed response, run together. The client moving on cancels them together; the
/// provider may also cancel single calls (Gemini's toolCallCancellation), whose outputs are then left out.
/// </summary>
internal sealed class ToolCallBatch : IDisposable
{
    private readonly CancellationTokenSource _cancel;
    private readonly Dictionary<string, CancellationTokenSource> _perCall = new(StringComparer.Ordinal);

    public ToolCallBatch(IReadOnlyList<ServerToolCall> calls, bool clientCallsToo, CancellationToken sessionStopped)
    {
        Calls = calls;
        ClientCallsToo = clientCallsToo;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(sessionStopped);
        foreach (var call in calls) _perCall[call.CallId] = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
    }

    public IReadOnlyList<ServerToolCall> Calls { get; }

    /// <summary>
    /// The same response also called client tools: the client answers those and sends its own response.create, so
    /// this batch only adds its outputs (a second response.create would collide with the client's).
    /// </summary>
    public bool ClientCallsToo { get; }

    public CancellationToken Token => _cancel.Token;

    public string? CancelReason { get; private set; }

    /// <summary>The token of one call: cancelled with the batch, or alone by <see cref="CancelCall"/>.</summary>
    public CancellationToken TokenOf(ServerToolCall call) => _perCall[call.CallId].Token;

    public bool Contains(string callId) => _perCall.ContainsKey(callId);

    /// <summary>Whether the provider cancelled this call alone (its output is not wanted any more).</summary>
    public bool IsCallCancelled(ServerToolCall call) => _perCall[call.CallId].IsCancellationRequested;

    public void Cancel(string reason)
    {
        CancelReason ??= reason;
        TryCancel(_cancel);
    }

    public void CancelCall(string callId)
    {
        if (_perCall.TryGetValue(callId, out var call)) TryCancel(call);
    }

    private static void TryCancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    public void Dispose()
    {
        foreach (var call in _perCall.Values) call.Dispose();
        _cancel.Dispose();
    }
}
