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
                    "conversation.item.create" => await ItemCreateAsync(root),
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
            // The router VAD and the audio routing follow the client's view at once; Gemini follows after the reconnect
            // (audio meanwhile is held, then flushed to the new connection).
            _vad = new SpeechDetector(updated.TurnDetection ?? new TurnDetectionSettings(), _options.Vad, _user.InputSamples / (UpstreamRate / 50));
            _user.ForgetSpeech();
            _spokenTurn.Forget();
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

        if (_user.BufferedMs < 100)
        {
            return new ClientError("input_audio_buffer_commit_empty", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has {_user.BufferedMs:0.00}ms of audio."), null);
        }

        var (itemId, durationMs) = _user.Commit();
        if (_config.ServerVad)
        {
            if (_vad.ForceEnd() is { } end)
            {
                // The user committed mid-speech: end the segment upstream too (Gemini then answers).
                var w = _clientEvents.StartEvent("input_audio_buffer.speech_stopped"u8);
                w.WriteNumber("audio_end_ms"u8, end.AudioMs);
                w.WriteString("item_id"u8, itemId);
                await _clientEvents.EmitAsync();
                GeminiClientMessages.AudioStreamEnd(_link.StartMessage());
                await _link.SendAsync();
                _spokenTurn.SpeechStopped(itemId);
                ExpectReply();
            }
        }
        else
        {
            _manualCommittedBytes = _manualAudio.Length;
            _manualItems.Add(itemId);
        }

        await CommitUserAudioItemAsync(itemId, durationMs);
        return null;
    }

    private async ValueTask<ClientError?> ClearAsync(JsonElement root)
    {
        if (ClientJson.OnlyKnown(root, "", "type", "event_id") is { } unknown)
        {
            return unknown;
        }

        // Manual turns: uncommitted audio never left the router. Server VAD: Gemini already has the audio; only the
        // router's buffer accounting resets.
        _manualAudio.TruncateTo(_manualCommittedBytes);
        _user.Clear();
        _clientEvents.StartEvent("input_audio_buffer.cleared"u8);
        await _clientEvents.EmitAsync();
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
