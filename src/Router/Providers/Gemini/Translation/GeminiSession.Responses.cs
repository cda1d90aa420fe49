using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>The session's side of the model's output (<see cref="IGeminiModelOutputOwner"/>).</summary>
internal sealed partial class GeminiSession : IGeminiModelOutputOwner
{
    /// <summary>The router VAD ended a user turn, or the link asked again: Gemini's reply is expected (blocks a switch for a while).</summary>
    private void ExpectReply() => _output.Turn.ExpectReply(Time.GetUtcNow());

    RealtimeSessionConfig IGeminiModelOutputOwner.Config => _settings.Client;

    ValueTask IGeminiModelOutputOwner.UnderGateAsync(Func<ValueTask> action) => UnderGateAsync(action);

    ValueTask IGeminiModelOutputOwner.CompleteInputTranscriptionAsync() => _server.CompleteInputTranscriptionAsync();

    async ValueTask IGeminiModelOutputOwner.InterruptedAsync()
    {
        if (_settings.Client.ServerVad && _input.User.SpeechItemId is null)
        {
            // Gemini heard speech the router VAD did not (yet): announce it so the client stops playback.
            await _input.SpeechStartedAsync(_input.User.InputMs);
        }
    }

    void IGeminiModelOutputOwner.SpokenTurnAnswered() => _input.SpokenTurn.Answered();

    ValueTask IGeminiModelOutputOwner.ResponseSettledAsync() => _switches.MaybeSwitchAsync();
}
