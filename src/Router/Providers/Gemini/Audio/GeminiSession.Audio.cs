using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Client audio in: frames a resumed handle already covers are skipped, the rest go to <see cref="GeminiUserInput"/>,
/// and that class's side of the session (<see cref="IGeminiUserInputOwner"/>).
/// </summary>
internal sealed partial class GeminiSession : IGeminiUserInputOwner
{
    public async ValueTask SendAudioAsync(ulong inputSeq, ReadOnlyMemory<byte> pcm16, int sampleRate, string? eventId, CancellationToken cancellationToken)
    {
        _link.CoveredInput.Handing(inputSeq);
        if (sampleRate <= 0)
        {
            await UnderGateAsync(() => _clientEvents.EmitErrorAsync(ClientError.InvalidValueMessage("audio", $"Invalid sample rate {sampleRate}."), eventId));
            return;
        }

        await UnderGateAsync(async () =>
        {
            if (_link.CoveredInput.SkipCurrent(out var skippingEnded))
            {
                return;
            }

            if (skippingEnded)
            {
                _logger.LogInformation("Gemini session {SessionId}: {Frames} replayed audio frame(s) up to #{Seq} were already in the resumed state; not sent again",
                    _context.SessionId, _link.CoveredInput.DroppedFrames, _link.CoveredInput.CoveredSeq);
            }

            await _input.AudioAsync(pcm16, sampleRate);
        });
    }

    RealtimeSessionConfig IGeminiUserInputOwner.Config => _settings.Client;

    ValueTask IGeminiUserInputOwner.CompleteInputTranscriptionAsync() => _server.CompleteInputTranscriptionAsync();

    // Text items the client added wait for a response.create; the user's turn is about to start, so they go into
    // Gemini's context now (turnComplete:false: no answer of their own).
    ValueTask IGeminiUserInputOwner.UserTurnStartingAsync() => _content.FlushAsync(turnComplete: false);

    void IGeminiUserInputOwner.ReplyExpected() => ExpectReply();

    bool IGeminiUserInputOwner.SwitchPending => _switches.Pending;

    ValueTask IGeminiUserInputOwner.SwitchMayBeDueAsync() => _switches.MaybeSwitchAsync();
}
