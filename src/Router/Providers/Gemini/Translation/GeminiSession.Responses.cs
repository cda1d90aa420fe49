using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The OpenAI response lifecycle over Gemini turns. A response opens on response.create or, for turns Gemini starts
/// itself (server VAD), with the first model output. Output streams end on generationComplete; response.done waits for
/// the turnComplete frame that carries the turn's usage, at most <see cref="GeminiProviderOptions.UsageWait"/>.
/// </summary>
internal sealed partial class GeminiSession
{
    /// <summary>A response.create accepted while the previous response only waited for usage; opens after its response.done.</summary>
    private bool _deferredCreate;

    /// <summary>What Gemini's model turn is doing (running, output over, being dropped, reply due).</summary>
    private readonly GeminiModelTurn _turn = new();

    private bool _assistantAudioPresent;

    /// <summary>The response model output belongs to; opens one for a turn Gemini started on its own.</summary>
    private async ValueTask<RealtimeResponse> CurrentResponseAsync()
    {
        if (_responses.Current is { AwaitingUsage: true } finished)
        {
            // New output while the last response waited for usage: that turn is over.
            await FinishResponseAsync(finished);
        }

        return _responses.Current ?? await _responses.OpenAsync(_config);
    }

    /// <summary>Output is over; response.done follows with turnComplete's usage, or after the usage wait.</summary>
    private async ValueTask EndOutputAsync(RealtimeResponse response, string itemStatus)
    {
        await _responses.CloseMessageAsync(response, itemStatus);
        if (response.AwaitingUsage)
        {
            return;
        }

        response.AwaitingUsage = true;
        _ = UsageWaitAsync(response);
    }

    private async Task UsageWaitAsync(RealtimeResponse response)
    {
        try
        {
            await Task.Delay(_options.UsageWait, Time, Lifetime);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await UnderGateAsync(async () =>
        {
            if (_responses.Current == response)
            {
                _logger.LogDebug("Gemini session {SessionId}: no turnComplete within {Wait}; response.done with the usage seen so far",
                    _context.SessionId, _options.UsageWait);
                await FinishResponseAsync(response);
                await AfterResponseAsync();
            }
        });
    }

    /// <summary>response.done (see <see cref="ResponseStream.FinishAsync"/>); a spoken turn it completes is answered.</summary>
    private async ValueTask FinishResponseAsync(RealtimeResponse response)
    {
        // An incomplete response was cut with its connection and is asked for again.
        if (await _responses.FinishAsync(response) && response.Status != "incomplete")
        {
            _spokenTurn.Answered();
        }
    }

    /// <summary>After a response.done: open a deferred response, or switch connections if one is due.</summary>
    private async ValueTask AfterResponseAsync()
    {
        if (_deferredCreate && _responses.Current is null)
        {
            _deferredCreate = false;
            await _responses.OpenAsync(_config);
        }

        await MaybeReconnectAsync();
    }

    /// <summary>
    /// Sends what makes Gemini answer: tool results (the waiting turn continues), else committed manual audio, else the
    /// pending client turns with turnComplete:true, else an empty turnComplete:true ("answer now").
    /// </summary>
    private async ValueTask SendResponseTriggerAsync()
    {
        bool newTurn;
        if (_calls.Outputs.Count > 0)
        {
            GeminiClientMessages.ToolResponse(_link.StartMessage(), _calls.Outputs);
            _calls.OutputsSent();
            await _link.SendAsync();
            await FlushPendingTurnsAsync(turnComplete: false);
            newTurn = false;
        }
        else if (!_config.ServerVad && _manualCommittedBytes > 0)
        {
            await FlushPendingTurnsAsync(turnComplete: false);
            await SendCommittedManualAudioAsync();
            newTurn = true;
        }
        else
        {
            await FlushPendingTurnsAsync(turnComplete: true, always: true);
            newTurn = true;
        }

        _turn.Asked(newTurn);
        _link.HasContext = true;
    }

    /// <summary>Sends pending client turns as clientContent; with <paramref name="always"/>, even an empty turnComplete.</summary>
    private async ValueTask FlushPendingTurnsAsync(bool turnComplete, bool always = false)
    {
        if (_pendingTurns.Count == 0 && !always)
        {
            return;
        }

        GeminiClientMessages.ClientContent(_link.StartMessage(), _pendingTurns, turnComplete);
        _pendingTurns.Clear();
        _link.HasContext = true;
        await _link.SendAsync();
    }

    /// <summary>
    /// response.cancel: with manual turns, activityStart/activityEnd make Gemini interrupt the turn (only what was sent
    /// stays in its history). With automatic VAD Gemini has no cancel signal (activity signals close the socket 1007):
    /// the rest of the turn is dropped here, while Gemini finishes it in its own history.
    /// </summary>
    private async ValueTask CancelUpstreamTurnAsync()
    {
        if (!_turn.Cancel())
        {
            return;
        }

        if (!_applied.ServerVad)
        {
            GeminiClientMessages.ActivityStart(_link.StartMessage());
            await _link.SendAsync();
            GeminiClientMessages.ActivityEnd(_link.StartMessage());
            await _link.SendAsync();
        }
    }

    /// <summary>The router VAD ended a user turn: Gemini's reply is expected (blocks a reconnect for a while).</summary>
    private void ExpectReply() => _turn.ExpectReply(Time.GetUtcNow());
}
