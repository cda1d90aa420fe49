using System.Text.Json;
using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// A Gemini server message (read once into <see cref="GeminiServerMessage"/>) handed to the parts of the session it
/// concerns, in the order the protocol needs: usage first, then content, tool calls, the resumption handle, goAway.
/// Callers hold the session's gate.
/// </summary>
internal sealed class GeminiServerDispatch(
    GeminiSessionSettings settings,
    GeminiLink link,
    GeminiModelOutput output,
    InputTranscription transcription,
    UsageAccounting usage,
    GeminiSwitchPlanner switches,
    ILogger logger,
    string sessionId)
{
    public async ValueTask HandleAsync(GeminiServerMessage message)
    {
        // Usage first: a turnComplete frame carries the usage its response.done needs.
        if (message.Usage.ValueKind == JsonValueKind.Object)
        {
            usage.Observe(TokenUsage.FromGemini(message.Usage));
        }

        if (message.HasContent)
        {
            await OnServerContentAsync(message.Content);
        }

        if (message.FunctionCalls.ValueKind == JsonValueKind.Array)
        {
            await output.OnToolCallAsync(message.FunctionCalls);
        }

        if (message.CancelledCallIds.ValueKind == JsonValueKind.Array)
        {
            await output.OnToolCallCancellationAsync(message.CancelledCallIds);
        }

        if (message.Resumption is { } resumption)
        {
            link.OnResumptionUpdate(resumption);
            await switches.MaybeSwitchAsync();
        }

        if (message.GoAway)
        {
            logger.LogInformation("Gemini session {SessionId}: goAway on connection #{Number} (time left {TimeLeft}); rolling over at the next safe point",
                sessionId, link.Current?.Number, message.GoAwayTimeLeft ?? "?");
            switches.GoAway();
            await switches.MaybeSwitchAsync();
        }
    }

    /// <summary>The user's transcription so far is complete (model output began, or a new speech item starts).</summary>
    public ValueTask CompleteInputTranscriptionAsync() => transcription.CompleteAsync(clientWantsEvents: settings.Client.Transcription is not null);

    private async ValueTask OnServerContentAsync(GeminiServerContent content)
    {
        if (content.InputTranscription is { } inputText)
        {
            await transcription.AddAsync(inputText, content.InputTranscriptionFinished, clientWantsEvents: settings.Client.Transcription is not null);
        }

        if (content.ModelParts.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.ModelParts.EnumerateArray())
            {
                if (GeminiServerContent.TryGetAudio(part, out var data))
                {
                    await output.OnModelAudioAsync(data);
                }
            }
        }

        if (content.OutputTranscription is { } outputText)
        {
            await output.OnOutputTranscriptAsync(outputText);
        }

        if (content.GenerationComplete)
        {
            await output.OnGenerationCompleteAsync();
        }

        if (content.Interrupted)
        {
            await output.OnInterruptedAsync();
        }

        if (content.TurnComplete)
        {
            link.TurnCompleted();
            await output.OnTurnCompleteAsync(content.MoreToCome);
        }
    }
}
