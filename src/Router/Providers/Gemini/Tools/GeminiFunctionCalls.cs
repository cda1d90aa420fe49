namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The function calls of a Gemini session and where a client's output for each has to go: calls the current Gemini
/// connection waits for (their outputs go up together as one toolResponse), and calls made on a connection that is
/// gone (a resume, a drop, a rollover cut short), which the Gemini session now running never made, so their outputs go
/// up as context text with the next turn. An output for any other call (client-created, or cancelled by Gemini) stays
/// in the local conversation. Not thread-safe: the session's gate owns it.
/// </summary>
public sealed class GeminiFunctionCalls
{
    private readonly Dictionary<string, string> _awaited = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _orphaned = new(StringComparer.Ordinal);
    private readonly List<(string CallId, string Name, string Output)> _outputs = [];

    /// <summary>The current connection waits for at least one call's output.</summary>
    public bool Awaiting => _awaited.Count > 0;

    /// <summary>Outputs for awaited calls, in the order the client sent them, not sent yet.</summary>
    public IReadOnlyList<(string CallId, string Name, string Output)> Outputs => _outputs;

    /// <summary>Gemini made a call (toolCall) and waits for its output.</summary>
    public void Called(string callId, string name) => _awaited[callId] = name;

    /// <summary>A call made on a connection that is gone (read from the checkpoint): its output becomes context text.</summary>
    public void Orphaned(string callId, string name) => _orphaned[callId] = name;

    /// <summary>Gemini cancelled a call (toolCallCancellation); false if it was not waiting for it. Its queued output is dropped.</summary>
    public bool Cancel(string callId)
    {
        if (!_awaited.Remove(callId))
        {
            return false;
        }

        _outputs.RemoveAll(o => o.CallId == callId);
        return true;
    }

    /// <summary>The client's output for <paramref name="callId"/>: queued for the toolResponse, turned into context text (<paramref name="contextText"/>), or local only.</summary>
    public FunctionOutputRoute Output(string callId, string output, out string? contextText)
    {
        contextText = null;
        if (_awaited.TryGetValue(callId, out var name))
        {
            _outputs.Add((callId, name, output));
            return FunctionOutputRoute.ToolResponse;
        }

        if (_orphaned.Remove(callId, out var orphanName))
        {
            contextText = ConversationHistory.FunctionResultText(orphanName, output);
            return FunctionOutputRoute.ContextText;
        }

        return FunctionOutputRoute.LocalOnly;
    }

    /// <summary>The queued outputs went up as a toolResponse: those calls are answered.</summary>
    public void OutputsSent()
    {
        foreach (var (callId, _, _) in _outputs)
        {
            _awaited.Remove(callId);
        }

        _outputs.Clear();
    }

    /// <summary>
    /// The connection is gone: the calls it waited for become orphaned, and outputs already given for them but not sent
    /// come back as context text, in order.
    /// </summary>
    public List<string> ConnectionLost()
    {
        foreach (var (callId, name) in _awaited)
        {
            _orphaned[callId] = name;
        }

        _awaited.Clear();
        var texts = new List<string>(_outputs.Count);
        foreach (var (callId, name, output) in _outputs)
        {
            _orphaned.Remove(callId);
            texts.Add(ConversationHistory.FunctionResultText(name, output));
        }

        _outputs.Clear();
        return texts;
    }
}
