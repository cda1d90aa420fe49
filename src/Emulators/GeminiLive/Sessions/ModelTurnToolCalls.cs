using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Model;
using VoicePlatform.Emulators.GeminiLive.Protocol;
using VoicePlatform.Emulators.GeminiLive.Transport;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// The function calls a model turn makes: one toolCall message with every call; blocking calls hold the turn until
/// all are answered, and their results become what the turn says next.
/// </summary>
internal sealed class ModelTurnToolCalls(
    ValidatedSetup setup,
    LiveSender sender,
    ModelTurnStreamer streamer,
    GeminiEmulatorOptions options,
    SessionBinding binding,
    FunctionCalls calls)
{
    /// <summary>
    /// Sends the toolCall. Blocking calls hold the turn; NON_BLOCKING ones let it go on (<c>Calling a.</c> is spoken
    /// only when no call blocks).
    /// </summary>
    public async Task CallAsync(ModelTurn turn, IReadOnlyList<ToolCallPlan> plannedCalls, DateTimeOffset now)
    {
        var pending = FunctionCalls.Number(plannedCalls, binding);
        ServerMessages.ToolCall(sender.Begin(), pending);
        await sender.SendAsync();
        foreach (var call in pending)
        {
            if (call.NonBlocking)
            {
                calls.AwaitNonBlocking(call);
            }
            else
            {
                turn.PendingBlocking.Add(call);
                turn.Issued.Add(call);
            }
        }

        if (turn.PendingBlocking.Count > 0)
        {
            turn.Stage = ModelTurnStage.WaitingForTool;
        }
        else
        {
            // 3.8 keeps talking with a filler line; older models announce the call.
            streamer.BeginSegment(turn, setup.Setup.AudioResponse, setup.Profile.IsLive38 ? options.Live38.ToolFiller : string.Join(" ", pending.Select(c => $"Calling {c.Name}.")), now);
        }
    }

    /// <summary>Records the result of one of the turn's blocking calls; false when the response answers none.</summary>
    public static bool Answer(ModelTurn? turn, FunctionResponseItem response)
    {
        if (turn?.PendingBlocking.Find(c => c.Id == response.Id) is not { } call)
        {
            return false;
        }

        turn.PendingBlocking.Remove(call);
        turn.Answered.Add((call, FunctionCalls.ResultOf(call, response)));
        return true;
    }

    /// <summary>Every blocking call is answered: the exchanges go to history and the turn thinks about the results.</summary>
    public void ContinueAfterAnswers(ModelTurn turn)
    {
        var replies = new List<string>();
        // Parallel calls are answered in any order (one toolResponse or several); the reply follows the calls' order.
        turn.Answered.Sort((a, b) => turn.Issued.IndexOf(a.Call).CompareTo(turn.Issued.IndexOf(b.Call)));
        foreach (var (call, result) in turn.Answered)
        {
            FunctionCalls.AddExchangeToHistory(binding.Conversation, call, result);
            turn.ToolUseTokens += TokenCounter.Text(result.ResponseJson);
            replies.Add(result.Reply);
        }

        turn.Answered.Clear();
        turn.Issued.Clear();
        turn.Plan = new SpeakPlan(string.Join(ReplyPlanner.ResultSeparator, replies));
        turn.Stage = ModelTurnStage.Thinking;
    }
}
