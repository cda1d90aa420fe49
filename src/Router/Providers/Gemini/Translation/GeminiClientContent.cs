using System.Text.Json;
using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Client content on its way to Gemini. An item the client creates (conversation.item.create) is mapped onto what
/// Gemini's append-only context can take and held until the next response.create, or until the user starts speaking;
/// then the held turns go up as one clientContent message. A function call's output goes back as toolResponse when
/// the connection waits for it, else as context text with the next turn. On models that take clientContent only as
/// initial history (3.1) the held turns instead go with the next response.create, folded into one realtimeInput.text.
/// Callers hold the session's gate.
/// </summary>
internal sealed class GeminiClientContent(
    LocalConversation conversation, ClientEventStream events, GeminiFunctionCalls calls, GeminiLink link, GeminiModelProfile profile,
    ILogger logger, string sessionId)
{
    /// <summary>
    /// What a response.create with nothing new to say sends on 3.1, where the empty clientContent turnComplete is refused:
    /// realtime text must have words, and a bare "." asks for a reply without adding any (as livekit agents-js#1199 does).
    /// </summary>
    public const string BareAnswerPrompt = ".";

    private readonly List<PendingTurn> _pending = [];

    /// <summary>Outputs of calls the connection waits for are queued (they go with the next response.create).</summary>
    public bool HasToolOutputs => calls.Outputs.Count > 0;

    /// <summary>How many turns are held.</summary>
    public int Count => _pending.Count;

    /// <summary>The item is held here: Gemini does not have it yet.</summary>
    public bool Holds(string itemId) => _pending.Exists(t => t.ItemId == itemId);

    /// <summary>
    /// 3.1: the held turns end with a user message and hold another before it, which one realtime text would merge
    /// into one utterance (see <see cref="GeminiSwitchPlanner.RebuildWithHeldMessagesAsync"/>).
    /// </summary>
    public bool HoldsSeveralUserMessages =>
        profile.ClientContentOnlyAsHistory && _pending.Count > 1 && IsUserMessage(_pending[^1]) && _pending.SkipLast(1).Any(IsUserMessage);

    /// <summary>Releases every held turn but the last: Gemini gets them another way (a rebuilt context's history).</summary>
    public void ReleaseAllButLast() => _pending.RemoveRange(0, _pending.Count - 1);

    private bool IsUserMessage(PendingTurn turn) =>
        turn.ItemId is { } id && conversation.TryGet(id, out var item) && item is { Type: "message", Role: "user" };

    /// <summary>Holds <paramref name="turns"/> for the next clientContent message.</summary>
    public void Hold(IEnumerable<PendingTurn> turns) => _pending.AddRange(turns);

    /// <summary>conversation.item.create: the item joins the local conversation (the client gets item.added and item.done) and is held for Gemini.</summary>
    public async ValueTask<ClientError?> CreateItemAsync(JsonElement root)
    {
        if (ItemCreateChecks.Envelope(root, conversation, out var previousId) is { } envelopeError)
        {
            return envelopeError;
        }

        if (!root.TryGetProperty("item", out var itemEl))
        {
            return ClientError.Missing("item");
        }

        if (ItemParser.Parse(itemEl, out var parsed, out var inputAudio) is { } error)
        {
            return error;
        }

        var item = parsed!;
        if (ItemCreateChecks.NewId(item, conversation) is { } idError)
        {
            return idError;
        }

        if (item.Type == "function_call_output" && conversation.FindFunctionCall(item.CallId!) is null)
        {
            return ClientError.InvalidValueMessage("item.call_id", $"Tool call ID '{item.CallId}' not found in conversation.");
        }

        var previous = conversation.Insert(item, previousId);
        await events.EmitItemEventAsync("conversation.item.added"u8, item, previous);
        await events.EmitItemEventAsync("conversation.item.done"u8, item, previous);
        Queue(item, inputAudio);
        return null;
    }

    /// <summary>Maps a client item onto what Gemini's append-only context can take.</summary>
    private void Queue(ConversationItem item, byte[]? inputAudio)
    {
        switch (item.Type)
        {
            case "message":
                var text = string.Concat(item.Content.Select(c => c.Text ?? c.Transcript ?? string.Empty));
                // Gemini Live has no system role mid-session: a system message becomes user-turn text.
                var role = item.Role == "assistant" ? "model" : "user";
                if (text.Length > 0 || inputAudio is not null)
                {
                    _pending.Add(new PendingTurn(role, text, inputAudio, item.Id));
                }

                break;
            case "function_call_output":
                switch (calls.Output(item.CallId!, item.Output ?? string.Empty, out var contextText))
                {
                    case FunctionOutputRoute.ContextText:
                        // A call made on a connection that is gone (resume, drop after goAway): the Gemini session now
                        // running never made it, so its result goes up as context text with the next turn.
                        _pending.Add(new PendingTurn("user", contextText!, null, item.Id));
                        break;
                    case FunctionOutputRoute.LocalOnly:
                        logger.LogDebug("Gemini session {SessionId}: output for call {CallId} kept locally (Gemini is not waiting for it)",
                            sessionId, item.CallId);
                        break;
                }

                break;
            default:
                // Client-created function_call items stay in the local conversation only.
                break;
        }
    }

    /// <summary>
    /// The outputs of the function calls the connection waits for, as toolResponse (the waiting turn continues), then
    /// the held turns as context. False when no output was waiting to go.
    /// </summary>
    /// <remarks>
    /// Asynchronous calls (3.8) say when the model uses the result: with a response.create, <c>WHEN_IDLE</c> (spoken once
    /// the model is idle, not cutting its filler); see <see cref="FlushAsync"/> for results sent without one.
    /// </remarks>
    public async ValueTask<bool> SendToolResponseAsync(string? scheduling = null)
    {
        if (calls.Outputs.Count == 0)
        {
            return false;
        }

        GeminiClientMessages.ToolResponse(link.StartMessage(), calls.Outputs, scheduling ?? (profile.AsyncFunctions ? "WHEN_IDLE" : null));
        calls.OutputsSent();
        await link.SendAsync();
        await FlushAsync(turnComplete: false);
        return true;
    }

    /// <summary>
    /// Sends the held turns as clientContent; with <paramref name="always"/>, even an empty turnComplete. On 3.1 only a
    /// request for an answer (<paramref name="turnComplete"/>) sends them, as realtime text; context without one stays held.
    /// </summary>
    public async ValueTask FlushAsync(bool turnComplete, bool always = false)
    {
        if (!turnComplete && profile.AsyncFunctions && calls.Outputs.Count > 0)
        {
            // The user starts a new turn before the client asked for a reply to its results (an OpenAI output without
            // response.create adds context and does not answer): they go SILENT, so the model knows them but does not
            // speak them over the user's turn.
            await SendToolResponseAsync("SILENT");
            return;
        }

        if (profile.ClientContentOnlyAsHistory)
        {
            if (turnComplete)
            {
                await SendAsRealtimeTextAsync();
            }

            return;
        }

        if (_pending.Count == 0 && !always)
        {
            return;
        }

        GeminiClientMessages.ClientContent(link.StartMessage(), _pending, turnComplete);
        _pending.Clear();
        link.HasContext = true;
        await link.SendAsync();
    }

    /// <summary>
    /// 3.1: the held turns as one <c>realtimeInput.text</c>, which the model answers: the user's words as they are, other
    /// turns bracketed by role (<c>[assistant: …]</c>; function results are already bracketed text). Audio items have
    /// no words to send here; their audio is not sent (logged).
    /// </summary>
    private async ValueTask SendAsRealtimeTextAsync()
    {
        var parts = new List<string>(_pending.Count);
        foreach (var turn in _pending)
        {
            if (turn.Audio24k is not null)
            {
                logger.LogWarning("Gemini session {SessionId}: audio of item {ItemId} not sent (this model takes realtime text only mid-session)",
                    sessionId, turn.ItemId);
            }

            if (turn.Text.Length > 0)
            {
                parts.Add(turn.Role == "model" ? $"[assistant: {turn.Text}]" : turn.Text);
            }
        }

        _pending.Clear();
        GeminiClientMessages.Text(link.StartMessage(), parts.Count > 0 ? string.Join("\n", parts) : BareAnswerPrompt);
        link.HasContext = true;
        await link.SendAsync();
    }
}

/// <summary>Client content waiting to be sent to Gemini as a clientContent turn.</summary>
public sealed record PendingTurn(string Role, string Text, byte[]? Audio24k, string? ItemId = null);
