using System.Text.Json;
using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>Client events: dispatch, session.update, input buffer control, response.create / cancel.</summary>
internal sealed partial class GeminiSession
{
    public async ValueTask SendEventAsync(ulong inputSeq, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        _link.CoveredInput.Handing(inputSeq);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            await UnderGateAsync(() => _clientEvents.EmitErrorAsync(new ClientError("invalid_json",
                $"We could not parse the JSON body of your request. ({ex.Message})", null), null));
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            var eventId = ClientJson.OptionalString(root, "event_id");
            var type = ClientJson.OptionalString(root, "type");
            await UnderGateAsync(async () =>
            {
                var error = type switch
                {
                    "session.update" => await SessionUpdateAsync(root),
                    "input_audio_buffer.commit" => await CommitAsync(root),
                    "input_audio_buffer.clear" => await ClearAsync(root),
                    "conversation.item.create" => await _content.CreateItemAsync(root),
                    "conversation.item.retrieve" => await _itemRequests.RetrieveAsync(root),
                    "conversation.item.truncate" => await _itemRequests.TruncateAsync(root),
                    "conversation.item.delete" => await _itemRequests.DeleteAsync(root),
                    "response.create" => await ResponseCreateAsync(root),
                    "response.cancel" => await ResponseCancelAsync(root),
                    "output_audio_buffer.clear" => new ClientError("invalid_value",
                        "output_audio_buffer.clear is only supported for WebRTC and SIP connections.", "type"),
                    null => ClientError.Missing("type"),
                    _ => ClientError.InvalidValue("type", type),
                };
                if (error is not null)
                {
                    await _clientEvents.EmitErrorAsync(error, eventId);
                }
            });
        }
    }

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

        var updated = _config.Clone();
        if (SessionUpdateParser.Apply(session, updated, _output.AssistantAudioPresent, _context.Model.Capabilities.TextOutput) is { } error)
        {
            return error;
        }

        if (updated.TurnDetection != _config.TurnDetection)
        {
            _input.TurnDetectionChanged(updated.TurnDetection ?? new TurnDetectionSettings());
        }

        _config = updated;
        var w = _clientEvents.StartEvent("session.updated"u8);
        w.WritePropertyName("session"u8);
        _config.WriteTo(w);
        await _clientEvents.EmitAsync();

        // Gemini takes its config only in setup: a change is applied by reconnecting (with the resumption handle once
        // the conversation has content), at the next point where nothing is in flight.
        if (GeminiSetupWriter.Fingerprint(_config, UpstreamModel, _options) != _appliedFingerprint)
        {
            _link.RequestReconnect("session.update");
            await MaybeReconnectAsync();
        }

        return null;
    }

    private async ValueTask<ClientError?> CommitAsync(JsonElement root)
    {
        if (ClientJson.OnlyKnown(root, "", "type", "event_id") is { } unknown)
        {
            return unknown;
        }

        return await _input.CommitAsync();
    }

    private async ValueTask<ClientError?> ClearAsync(JsonElement root)
    {
        if (ClientJson.OnlyKnown(root, "", "type", "event_id") is { } unknown)
        {
            return unknown;
        }

        await _input.ClearAsync();
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
                _logger.LogDebug("Gemini session {SessionId}: response.create parameters ignored: {Fields}",
                    _context.SessionId, string.Join(",", parameters.EnumerateObject().Select(p => p.Name)));
            }
        }

        return await _output.CreateAsync(SendResponseTriggerAsync);
    }

    private async ValueTask<ClientError?> ResponseCancelAsync(JsonElement root)
    {
        if (ClientJson.OnlyKnown(root, "", "type", "event_id", "response_id") is { } unknown)
        {
            return unknown;
        }

        return await _output.CancelAsync(ClientJson.OptionalString(root, "response_id"), CancelUpstreamTurnAsync);
    }
}
