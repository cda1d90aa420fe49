using System.Text.Json;
using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>Gemini server messages → OpenAI server events.</summary>
internal sealed partial class GeminiSession
{
    private ValueTask OnUpstreamMessageAsync(GeminiConnection connection, ReadOnlyMemory<byte> message) => UnderGateAsync(async () =>
    {
        if (connection != _link.Current)
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message);
        }
        catch (JsonException ex)
        {
            _logger.LogWarning("Gemini session {SessionId}: unparsable server message ignored: {Message}", _context.SessionId, ex.Message);
            return;
        }

        using (document)
        {
            await HandleServerMessageAsync(GeminiServerMessage.Read(document.RootElement));
        }
    });

    private ValueTask OnUpstreamClosedAsync(GeminiConnection connection, UpstreamClose close) => UnderGateAsync(async () =>
    {
        if (connection != _link.Current)
        {
            return;
        }

        if (_link.Switching)
        {
            // Already being replaced (the switch retires it): nothing is lost.
            _logger.LogInformation("Gemini session {SessionId}: connection #{Number} closed ({Close}) while being replaced", _context.SessionId, connection.Number, close);
            return;
        }

        if (_link.GoAwayPending)
        {
            // The announced end of the connection came before a safe point: roll over now instead of failing.
            await RecoverFromGoAwayCloseAsync(connection, close);
            return;
        }

        if (_dropRecovery.TryRecover(close))
        {
            // A drop without goAway (network, server restart, internal error) is recovered like a late goAway close:
            // resumed with the latest handle (or rebuilt), what was in flight asked for again. A provider that keeps
            // dropping exhausts the allowance and the session ends as before.
            _logger.LogWarning("Gemini session {SessionId}: connection #{Number} dropped ({Close}); reconnecting", _context.SessionId, connection.Number, close);
            await RecoverFromGoAwayCloseAsync(connection, close);
            return;
        }

        _logger.LogWarning("Gemini session {SessionId}: connection #{Number} dropped: {Close}", _context.SessionId, connection.Number, close);
        var code = close.ToConnectException().Code;
        await FailAsync(code, $"The model provider closed the connection ({close}).");
    });

    private async ValueTask HandleServerMessageAsync(GeminiServerMessage message)
    {
        // Usage first: a turnComplete frame carries the usage its response.done needs.
        if (message.Usage.ValueKind == JsonValueKind.Object)
        {
            _usage.Observe(TokenUsage.FromGemini(message.Usage));
        }

        if (message.HasContent)
        {
            await OnServerContentAsync(message.Content);
        }

        if (message.FunctionCalls.ValueKind == JsonValueKind.Array)
        {
            await _output.OnToolCallAsync(message.FunctionCalls);
        }

        if (message.CancelledCallIds.ValueKind == JsonValueKind.Array)
        {
            await _output.OnToolCallCancellationAsync(message.CancelledCallIds);
        }

        if (message.Resumption is { } resumption)
        {
            _link.OnResumptionUpdate(resumption);
            await MaybeReconnectAsync();
        }

        if (message.GoAway)
        {
            _logger.LogInformation("Gemini session {SessionId}: goAway on connection #{Number} (time left {TimeLeft}); rolling over at the next safe point",
                _context.SessionId, _link.Current?.Number, message.GoAwayTimeLeft ?? "?");
            _link.GoAway();
            await MaybeReconnectAsync();
        }
    }

    private async ValueTask OnServerContentAsync(GeminiServerContent content)
    {
        if (content.InputTranscription is { } inputText)
        {
            await OnInputTranscriptionAsync(inputText, content.InputTranscriptionFinished);
        }

        if (content.ModelParts.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.ModelParts.EnumerateArray())
            {
                if (GeminiServerContent.TryGetAudio(part, out var data))
                {
                    await _output.OnModelAudioAsync(data);
                }
            }
        }

        if (content.OutputTranscription is { } outputText)
        {
            await _output.OnOutputTranscriptAsync(outputText);
        }

        if (content.GenerationComplete)
        {
            await _output.OnGenerationCompleteAsync();
        }

        if (content.Interrupted)
        {
            await _output.OnInterruptedAsync();
        }

        if (content.TurnComplete)
        {
            _link.TurnCompleted();
            await _output.OnTurnCompleteAsync();
        }
    }
}
