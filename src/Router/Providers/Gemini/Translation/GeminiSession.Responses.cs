using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// What makes Gemini answer or stop (the response lifecycle itself is <see cref="GeminiModelOutput"/>'s), and the
/// model turn as the session's decisions see it.
/// </summary>
internal sealed partial class GeminiSession : IGeminiModelOutputOwner
{
    /// <summary>
    /// Sends what makes Gemini answer: tool results (the waiting turn continues), else committed manual audio, else the
    /// pending client turns with turnComplete:true, else an empty turnComplete:true ("answer now").
    /// </summary>
    private async ValueTask SendResponseTriggerAsync()
    {
        bool newTurn;
        if (await _content.SendToolResponseAsync())
        {
            newTurn = false;
        }
        else if (!_config.ServerVad && _input.HasCommittedAudio)
        {
            await _content.FlushAsync(turnComplete: false);
            await _input.SendCommittedAudioAsync();
            newTurn = true;
        }
        else
        {
            await _content.FlushAsync(turnComplete: true, always: true);
            newTurn = true;
        }

        _output.Turn.Asked(newTurn);
        _link.HasContext = true;
    }

    /// <summary>
    /// response.cancel: with manual turns, activityStart/activityEnd make Gemini interrupt the turn (only what was sent
    /// stays in its history). With automatic VAD Gemini has no cancel signal (activity signals close the socket 1007):
    /// the rest of the turn is dropped here, while Gemini finishes it in its own history.
    /// </summary>
    private async ValueTask CancelUpstreamTurnAsync()
    {
        if (!_output.Turn.Cancel())
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
    private void ExpectReply() => _output.Turn.ExpectReply(Time.GetUtcNow());

    RealtimeSessionConfig IGeminiModelOutputOwner.Config => _config;

    ValueTask IGeminiModelOutputOwner.UnderGateAsync(Func<ValueTask> action) => UnderGateAsync(action);

    ValueTask IGeminiModelOutputOwner.CompleteInputTranscriptionAsync() => CompleteInputTranscriptionAsync();

    async ValueTask IGeminiModelOutputOwner.InterruptedAsync()
    {
        if (_config.ServerVad && _input.User.SpeechItemId is null)
        {
            // Gemini heard speech the router VAD did not (yet): announce it so the client stops playback.
            await _input.SpeechStartedAsync(_input.User.InputMs);
        }
    }

    void IGeminiModelOutputOwner.SpokenTurnAnswered() => _input.SpokenTurn.Answered();

    ValueTask IGeminiModelOutputOwner.ResponseSettledAsync() => MaybeReconnectAsync();
}
