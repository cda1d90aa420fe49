using System.Text.Json;
using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The client's OpenAI events (other than audio) applied to a Gemini session: session.update, input buffer control,
/// conversation items, response.create / cancel, and what each sends Gemini. Each returns the error the client gets,
/// or null. Callers hold the session's gate.
/// </summary>
internal sealed class GeminiClientRequests(
    GeminiSessionSettings settings,
    GeminiLink link,
    GeminiUserInput input,
    GeminiModelOutput output,
    GeminiClientContent content,
    LocalItemRequests itemRequests,
    ClientEventStream clientEvents,
    GeminiSwitchPlanner switches,
    SessionFeatures features,
    bool asyncFunctions,
    ILogger logger,
    string sessionId,
    GeminiImageInput images)
{
    public async ValueTask<ClientError?> ApplyAsync(string? type, JsonElement root) => type switch
    {
        "session.update" => await SessionUpdateAsync(root),
        "input_audio_buffer.commit" => await CommitAsync(root),
        "input_audio_buffer.clear" => await ClearAsync(root),
        "conversation.item.create" => GeminiImageInput.Carries(root) ? await images.CreateItemAsync(root) : await content.CreateItemAsync(root),
        "conversation.item.retrieve" => await itemRequests.RetrieveAsync(root),
        "conversation.item.truncate" => await itemRequests.TruncateAsync(root),
        "conversation.item.delete" => await itemRequests.DeleteAsync(root),
        "response.create" => await ResponseCreateAsync(root),
        "response.cancel" => await ResponseCancelAsync(root),
        "output_audio_buffer.clear" => new ClientError("invalid_value",
            "output_audio_buffer.clear is only supported for WebRTC and SIP connections.", "type"),
        null => ClientError.Missing("type"),
        _ => ClientError.InvalidValue("type", type),
    };

    private async ValueTask<ClientError?> SessionUpdateAsync(JsonElement root)
    {
        if (ClientJson.OnlyKnown(root, "", "type", "event_id", "session") is { } unknown)
        {
            return unknown;
        }

        if (!root.TryGetProperty("session", out var session))
        {
            return ClientError.Missing("session");
        }

        var current = settings.Client;
        var updated = current.Clone();
        if (SessionUpdateParser.Apply(session, updated, output.AssistantAudioPresent, features) is { } error)
        {
            return error;
        }

        if (updated.TurnDetection != current.TurnDetection)
        {
            input.TurnDetectionChanged(updated.TurnDetection ?? new TurnDetectionSettings());
        }

        settings.Update(updated);
        var w = clientEvents.StartEvent("session.updated"u8);
        w.WritePropertyName("session"u8);
        updated.WriteTo(w);
        await clientEvents.EmitAsync();

        // Gemini takes its config only in setup: a change is applied by reconnecting (with the resumption handle once
        // the conversation has content), at the next point where nothing is in flight.
        if (settings.NeedsNewSetup)
        {
            switches.Request("session.update");
            await switches.MaybeSwitchAsync();
        }

        return null;
    }

    private async ValueTask<ClientError?> CommitAsync(JsonElement root)
    {
        if (ClientJson.OnlyKnown(root, "", "type", "event_id") is { } unknown)
        {
            return unknown;
        }

        return await input.CommitAsync();
    }

    private async ValueTask<ClientError?> ClearAsync(JsonElement root)
    {
        if (ClientJson.OnlyKnown(root, "", "type", "event_id") is { } unknown)
        {
            return unknown;
        }

        await input.ClearAsync();
        return null;
    }

    private async ValueTask<ClientError?> ResponseCreateAsync(JsonElement root)
    {
        if (ClientJson.OnlyKnown(root, "", "type", "event_id", "response") is { } unknown)
        {
            return unknown;
        }

        if (root.TryGetProperty("response", out var parameters) && parameters.ValueKind != JsonValueKind.Null)
        {
            if (ClientJson.Object(parameters, "response") is { } notObject)
            {
                return notObject;
            }

            // Gemini cannot override instructions, tools or voice for one turn on an open connection; the session's
            // settings apply. Logged so an operator can see why an override had no effect.
            if (parameters.EnumerateObject().Any())
            {
                logger.LogDebug("Gemini session {SessionId}: response.create parameters ignored: {Fields}",
                    sessionId, string.Join(",", parameters.EnumerateObject().Select(p => p.Name)));
            }
        }

        return await output.CreateAsync(SendResponseTriggerAsync, continuesAsyncCall: asyncFunctions && content.HasToolOutputs);
    }

    private async ValueTask<ClientError?> ResponseCancelAsync(JsonElement root)
    {
        if (ClientJson.OnlyKnown(root, "", "type", "event_id", "response_id") is { } unknown)
        {
            return unknown;
        }

        return await output.CancelAsync(ClientJson.OptionalString(root, "response_id"), CancelUpstreamTurnAsync);
    }

    /// <summary>
    /// Sends what makes Gemini answer: tool results (the waiting turn continues), else committed manual audio, else the
    /// pending client turns with turnComplete:true, else an empty turnComplete:true ("answer now").
    /// </summary>
    private async ValueTask SendResponseTriggerAsync()
    {
        bool newTurn;
        if (await content.SendToolResponseAsync())
        {
            newTurn = false;
        }
        else if (!settings.Client.ServerVad && input.HasCommittedAudio)
        {
            await content.FlushAsync(turnComplete: false);
            await input.SendCommittedAudioAsync();
            newTurn = true;
        }
        else
        {
            if (content.HoldsSeveralUserMessages)
            {
                // 3.1: the earlier messages become initial history; the last goes after it, held through the switch.
                // During another switch the last one is answered on the connection it opens, and the rebuild follows.
                content.ReleaseAllButLast();
                await switches.RebuildWithHeldMessagesAsync();
            }

            await content.FlushAsync(turnComplete: true, always: true);
            newTurn = true;
        }

        output.Turn.Asked(newTurn);
        link.HasContext = true;
    }

    /// <summary>
    /// response.cancel: with manual turns, activityStart/activityEnd make Gemini interrupt the turn (only what was sent
    /// stays in its history). With automatic VAD Gemini has no cancel signal (activity signals close the socket 1007):
    /// the rest of the turn is dropped here, while Gemini finishes it in its own history.
    /// </summary>
    private async ValueTask CancelUpstreamTurnAsync()
    {
        if (!output.Turn.Cancel())
        {
            return;
        }

        if (!settings.Applied.ServerVad)
        {
            GeminiClientMessages.ActivityStart(link.StartMessage());
            await link.SendAsync();
            GeminiClientMessages.ActivityEnd(link.StartMessage());
            await link.SendAsync();
        }
    }
}
