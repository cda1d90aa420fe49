using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Model;
using VoicePlatform.Emulators.GeminiLive.Protocol;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// When the model replies: to a user turn (cutting the turn in progress, or after it with NO_INTERRUPTION), to tool
/// results by their scheduling, and with the extended-thinking answer once its thinking time is over. Model-family
/// behaviour (gemini-live-3.8-and-vertex.md §2–§3): the extended-thinking turn shape (filler → turnComplete
/// IN_PROGRESS → answer → turnComplete IDLE), INTERRUPT results held while the user speaks.
/// </summary>
internal sealed class ReplyScheduler(
    ValidatedSetup setup,
    LiveSender sender,
    GeminiEmulatorOptions options,
    SessionBinding binding,
    FunctionCalls calls,
    UserInput input,
    ModelTurnRunner runner,
    BackgroundThought thought,
    HeldInterruptReplies heldInterruptReplies)
{
    /// <summary>When the extended-thinking answer is due; null when none is.</summary>
    public DateTimeOffset? ThoughtDueAt => thought.DueAt;

    /// <summary>Adds user content to the context and, when asked, lets the model answer.</summary>
    public async Task SubmitUserTurnAsync(IReadOnlyList<ConversationTurn> turns, bool respond)
    {
        if (runner.Current is not null && respond)
        {
            if (!setup.Setup.ActivityInterrupts)
            {
                runner.Defer(() => SubmitUserTurnAsync(turns, respond));
                return;
            }

            await runner.InterruptAsync();
        }

        foreach (var turn in turns)
        {
            binding.Conversation.Add(turn);
        }

        if (!binding.FitContextWindow(setup.Setup))
        {
            // Context exhausted without compression.
            await sender.CloseAsync(CloseDirective.Invalid());
            return;
        }

        if (!respond)
        {
            return;
        }

        var last = binding.Conversation.LastUserMessage();
        var plan = last is null
            ? new SpeakPlan("Echo: ")
            : ReplyPlanner.ForUserTurn(last, binding.Conversation, setup.Setup, options.DemoToolCalls);
        await StartReplyToUserAsync(plan);
    }

    public async Task OnToolResponseAsync(ToolResponseMessage message)
    {
        foreach (var response in message.Responses)
        {
            if (runner.AnswerBlockingCall(response))
            {
                continue;
            }

            if (calls.TakeNonBlocking(response) is { } nonBlocking)
            {
                await OnNonBlockingResultAsync(nonBlocking, response);
            }

            // Unknown ids (e.g. a cancelled call) are ignored.
        }

        runner.ContinueIfToolsAnswered();
    }

    /// <summary>Speech ended without a user turn (no audio between the activity signals): held results are spoken now.</summary>
    public async Task SpeakHeldInterruptResultsAsync()
    {
        if (!heldInterruptReplies.Any)
        {
            return;
        }

        var held = heldInterruptReplies.TakeAll();
        await runner.InterruptForResultAsync();
        await runner.StartAsync(held);
    }

    /// <summary>The thinking time is over: the answer now, or after the turn in progress.</summary>
    public async Task SpeakThoughtIfDueAsync(DateTimeOffset now)
    {
        if (thought.TakeIfDue(now) is not { } answer)
        {
            return;
        }

        if (runner.Current is not null)
        {
            runner.Defer(() => SpeakThoughtPlanAsync(answer));
            return;
        }

        await SpeakThoughtPlanAsync(answer);
    }

    /// <summary>The model's reply to a user turn: the extended-thinking model first says its filler and thinks.</summary>
    private async Task StartReplyToUserAsync(ReplyPlan plan)
    {
        thought.Drop();
        if (setup.Profile.ExtendedThinking && plan is SpeakPlan)
        {
            thought.Begin(plan);
            plan = new SpeakPlan(options.Live38.ThinkingFiller);
        }

        if (heldInterruptReplies.Any)
        {
            // The held result goes first: the model reacts to it as soon as the user stops speaking.
            var held = heldInterruptReplies.TakeAll();
            var reply = plan;
            runner.Defer(() => runner.StartAsync(reply));
            plan = held;
        }

        await runner.StartAsync(plan);
    }

    /// <summary>NON_BLOCKING results: scheduling INTERRUPT speaks now, WHEN_IDLE after the current turn, SILENT never.</summary>
    private async Task OnNonBlockingResultAsync(PendingFunctionCall call, FunctionResponseItem response)
    {
        var result = FunctionCalls.ResultOf(call, response);
        FunctionCalls.AddExchangeToHistory(binding.Conversation, call, result);
        var scheduling = calls.SchedulingOf(response) ?? "WHEN_IDLE";
        switch (scheduling)
        {
            case "SILENT":
                return;
            case "INTERRUPT" or "INTERRUPTED":
                if (HoldInterruptResult(result))
                {
                    return;
                }

                await runner.InterruptForResultAsync();
                await runner.StartAsync(new SpeakPlan(result.Reply));
                return;
            default:
                if (runner.Current is not null)
                {
                    runner.Defer(() => runner.StartAsync(new SpeakPlan(result.Reply)));
                }
                else
                {
                    await runner.StartAsync(new SpeakPlan(result.Reply));
                }

                return;
        }
    }

    /// <summary>True when an INTERRUPT result must wait for the user to finish speaking (3.8 only).</summary>
    private bool HoldInterruptResult(FunctionResultText result)
    {
        if (!setup.Profile.IsLive38 || !input.InActivity)
        {
            return false;
        }

        heldInterruptReplies.Add(result.Reply);
        return true;
    }

    private async Task SpeakThoughtPlanAsync(ReplyPlan plan)
    {
        await runner.StartAsync(plan);
        if (runner.Current is { } turn)
        {
            turn.ThoughtsTokens = setup.Thinking?.ThoughtsTokens(options.Live38.ThoughtsTokenCount) ?? options.Live38.ThoughtsTokenCount;
        }
    }
}
