using System.Text.Json;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Model;
using VoicePlatform.Emulators.GeminiLive.Protocol;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// The function calls a connection has made outside the current turn (NON_BLOCKING ones waiting for results) and how
/// a functionResponse is read: its result text and its scheduling.
/// </summary>
internal sealed class FunctionCalls(GeminiEmulatorOptions options, bool onVertex)
{
    private readonly Dictionary<string, PendingFunctionCall> _nonBlocking = new(StringComparer.Ordinal);

    public bool AnyNonBlockingPending => _nonBlocking.Count > 0;

    /// <summary>The calls of one toolCall, numbered on from the session's counter.</summary>
    public static List<PendingFunctionCall> Number(IReadOnlyList<ToolCallPlan> calls, SessionBinding binding) =>
        calls.Select(c => new PendingFunctionCall($"function-call-{binding.NextCallNumber++}", c.Name, c.Args, c.NonBlocking)).ToList();

    /// <summary>The conversation goes on; the result arrives later with its own scheduling.</summary>
    public void AwaitNonBlocking(PendingFunctionCall call) => _nonBlocking[call.Id] = call;

    /// <summary>The NON_BLOCKING call a response answers (kept while the response says willContinue), else null.</summary>
    public PendingFunctionCall? TakeNonBlocking(FunctionResponseItem response)
    {
        if (response.Id is null || !_nonBlocking.TryGetValue(response.Id, out var call))
        {
            return null;
        }

        if (!response.WillContinue)
        {
            _nonBlocking.Remove(response.Id);
        }

        return call;
    }

    public string? SchedulingOf(FunctionResponseItem response)
    {
        if (onVertex && !options.Vertex.HonourScheduling)
        {
            return null; // Vertex drops scheduling (livekit): every result is spoken when idle
        }

        string? inside = response.Response.ValueKind == JsonValueKind.Object
            && response.Response.TryGetProperty("scheduling", out var s) && s.ValueKind == JsonValueKind.String
            ? s.GetString()
            : null;
        return options.Tools.SchedulingLocation switch
        {
            SchedulingLocation.Sibling => response.SiblingScheduling,
            SchedulingLocation.InsideResponse => inside,
            _ => response.SiblingScheduling ?? inside,
        };
    }

    public static FunctionResultText ResultOf(PendingFunctionCall call, FunctionResponseItem response) =>
        new(ReplyPlanner.ForToolResult(call.Name, response.Response),
            response.Response.ValueKind == JsonValueKind.Undefined ? "{}" : response.Response.GetRawText());

    public static void AddExchangeToHistory(Conversation conversation, PendingFunctionCall call, FunctionResultText result)
    {
        var callText = $"{call.Name}({call.Args.GetRawText()})";
        conversation.Add(new ConversationTurn("model", callText, 0, new ModalityTokens(TokenCounter.Text(callText), 0, 0), TurnKind.FunctionCall));
        conversation.Add(new ConversationTurn("user", result.ResponseJson, 0, new ModalityTokens(TokenCounter.Text(result.ResponseJson), 0, 0), TurnKind.FunctionResponse));
    }
}
