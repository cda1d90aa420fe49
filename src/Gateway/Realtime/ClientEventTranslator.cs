using VoicePlatform.Contracts.Json;
using VoicePlatform.Contracts.Realtime;
using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using VoicePlatform.Audio;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.Recordings;
using VoicePlatform.ModelCatalog;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// OpenAI Realtime client events → canonical session frames. Checks shape (known type, required fields, types,
/// base64, audio formats) so bad input gets an <c>error</c> event here; semantics (item ids, the one active
/// response) stay with the provider side. Audio appends take an allocation-light path; other events are rare.
/// The Gateway's own session.update extension <c>session.recording</c> is applied to <paramref name="recording"/> and
/// removed, so it never reaches the Router.
/// </summary>
public sealed class ClientEventTranslator(ClientAudioFormats formats, SessionRecordingSwitch? recording = null, SessionModel? sessionModel = null)
{
    private static readonly Dictionary<string, (string Name, JsonValueKind Kind)[]> RequiredFields = new(StringComparer.Ordinal)
    {
        ["session.update"] = [("session", JsonValueKind.Object)],
        ["input_audio_buffer.append"] = [("audio", JsonValueKind.String)],
        ["input_audio_buffer.commit"] = [],
        ["input_audio_buffer.clear"] = [],
        ["output_audio_buffer.clear"] = [],
        ["conversation.item.create"] = [("item", JsonValueKind.Object)],
        ["conversation.item.delete"] = [("item_id", JsonValueKind.String)],
        ["conversation.item.truncate"] = [("item_id", JsonValueKind.String), ("content_index", JsonValueKind.Number), ("audio_end_ms", JsonValueKind.Number)],
        ["conversation.item.retrieve"] = [("item_id", JsonValueKind.String)],
        ["response.create"] = [],
        ["response.cancel"] = [],
    };

    /// <summary>Every client event type the Gateway accepts (the realtime protocol reference is checked against it).</summary>
    public static IReadOnlyCollection<string> SupportedEventTypes => RequiredFields.Keys;

    private static readonly string SupportedTypes = string.Join(", ", RequiredFields.Keys.Select(k => $"'{k}'"));

    private byte[] _base64Decoded = [];
    private byte[] _pcm = [];
    private byte[] _unescaped = [];

    // Duplicate keys are refused by the parser too (the scanner names them first, with their path).
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    /// <summary>Translates one client message. Exactly one of the results is set.</summary>
    public ClientTranslation Translate(ReadOnlyMemory<byte> message)
    {
        if (message.Span.StartsWith("\uFEFF"u8)) message = message[3..];
        try
        {
            if (TryTranslateAppend(message.Span, out var audio, out _, out var appendError))
                return appendError is not null ? ClientTranslation.Fail(appendError) : ClientTranslation.Send(audio!);
            return TranslateEvent(message);
        }
        catch (JsonException e)
        {
            return ClientTranslation.Fail(RealtimeErrorEvent.Invalid("invalid_json",
                $"The message could not be parsed as JSON: {e.Message}", null, ClientMessageScanner.TryReadEventId(message.Span)));
        }
    }

    /// <summary>The hot path: <c>input_audio_buffer.append</c> parsed with a forward-only reader, base64 decoded into reused buffers.</summary>
    private bool TryTranslateAppend(ReadOnlySpan<byte> message, out SessionClientFrame? frame, out string? eventId, out RealtimeErrorEvent? error)
    {
        frame = null;
        eventId = null;
        error = null;
        var reader = new Utf8JsonReader(message);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return false;

        var isAppend = false;
        var sawType = false;
        var sawEventId = false;
        ReadOnlySpan<byte> audio = default;
        var sawAudio = false;
        // Anything unusual (a repeated key, an escaped event_id, an unknown field) is left to the general path, which
        // reports it precisely; this path only takes the plain, common shape.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                if (sawType) return false;
                reader.Read();
                sawType = true;
                isAppend = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("input_audio_buffer.append"u8);
                if (!isAppend) return false;
            }
            else if (reader.ValueTextEquals("event_id"u8))
            {
                if (sawEventId) return false;
                sawEventId = true;
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped) return false;
                eventId = reader.GetString();
            }
            else if (reader.ValueTextEquals("audio"u8))
            {
                if (sawAudio) return false;
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) return false; // the general path reports the type error
                sawAudio = true;
                if (reader.ValueIsEscaped)
                {
                    // JSON encoders may escape '+' and '/' (System.Text.Json writes "\u002B"): unescape once.
                    if (_unescaped.Length < reader.ValueSpan.Length) _unescaped = new byte[Math.Max(reader.ValueSpan.Length, _unescaped.Length * 2)];
                    if (!TryUnescape(ref reader, _unescaped, out var unescapedLength)) return false; // not text: the general path says so
                    audio = _unescaped.AsSpan(0, unescapedLength);
                }
                else
                {
                    audio = reader.ValueSpan;
                }
            }
            else
            {
                // Unknown fields are checked (and reported) by the general path.
                return false;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || !sawType || !isAppend || !sawAudio)
            return false;

        var max = Base64.GetMaxDecodedFromUtf8Length(audio.Length);
        if (_base64Decoded.Length < max) _base64Decoded = new byte[Math.Max(max, _base64Decoded.Length * 2)];
        if (Base64.DecodeFromUtf8(audio, _base64Decoded, out _, out var decodedLength) != OperationStatus.Done)
        {
            error = RealtimeErrorEvent.Invalid("invalid_value", "Invalid 'audio': expected base64-encoded audio bytes.", "audio", eventId);
            return true;
        }
        var decoded = _base64Decoded.AsSpan(0, decodedLength);
        if (LooksLikeContainer(decoded))
        {
            error = RealtimeErrorEvent.Invalid("invalid_audio_format",
                $"Invalid 'audio': expected raw {formats.Input.RealtimeType} audio, but got a WAV container. Send the samples without the file header.",
                "audio", eventId);
            return true;
        }

        var pcmLength = formats.DecodeInput(decoded, ref _pcm);
        frame = new SessionClientFrame
        {
            InputAudio = new InputAudio
            {
                Pcm16 = ByteString.CopyFrom(_pcm, 0, pcmLength),
                SampleRate = formats.InputPcmRate,
                EventId = eventId ?? "",
            },
        };
        return true;
    }

    private static bool TryUnescape(ref Utf8JsonReader reader, byte[] destination, out int length)
    {
        try
        {
            length = reader.CopyString(destination);
            return true;
        }
        catch (InvalidOperationException)
        {
            length = 0;
            return false;
        }
    }

    private static bool LooksLikeContainer(ReadOnlySpan<byte> audio) =>
        audio.Length >= 12 && audio[..4].SequenceEqual("RIFF"u8) && audio.Slice(8, 4).SequenceEqual("WAVE"u8);

    private ClientTranslation TranslateEvent(ReadOnlyMemory<byte> message)
    {
        var readableId = ClientMessageScanner.TryReadEventId(message.Span);
        if (ClientMessageScanner.FindAmbiguity(message.Span, out var ambiguousAt) is { } ambiguity)
            return ClientTranslation.Fail(RealtimeErrorEvent.Invalid("invalid_json", ambiguity, ambiguousAt, readableId));

        var node = JsonNode.Parse(message.Span, documentOptions: StrictJson) as JsonObject;
        if (node is null)
            return ClientTranslation.Fail(RealtimeErrorEvent.Invalid("invalid_json", "Each message must be a JSON object.", null, null));

        string? eventId = null;
        if (node.TryGetPropertyValue("event_id", out var idNode) && idNode is not null)
        {
            if (idNode.GetValueKind() != JsonValueKind.String)
                return ClientTranslation.Fail(RealtimeErrorEvent.WrongType("event_id", "a string", null));
            eventId = idNode.GetValue<string>();
        }

        if (!node.TryGetPropertyValue("type", out var typeNode) || typeNode is null)
            return ClientTranslation.Fail(RealtimeErrorEvent.Missing("type", eventId));
        if (typeNode.GetValueKind() != JsonValueKind.String)
            return ClientTranslation.Fail(RealtimeErrorEvent.WrongType("type", "a string", eventId));
        var type = typeNode.GetValue<string>();
        if (!RequiredFields.TryGetValue(type, out var required))
        {
            return ClientTranslation.Fail(RealtimeErrorEvent.Invalid("invalid_value",
                $"Invalid value: '{type}'. Supported values are: {SupportedTypes}.", "type", eventId));
        }

        foreach (var (name, kind) in required)
        {
            if (!node.TryGetPropertyValue(name, out var value) || value is null)
                return ClientTranslation.Fail(RealtimeErrorEvent.Missing(name, eventId));
            if (value.GetValueKind() != kind)
                return ClientTranslation.Fail(RealtimeErrorEvent.WrongType(name, Describe(kind), eventId));
        }

        RealtimeErrorEvent? error = type switch
        {
            "input_audio_buffer.append" => InvalidAppend(node, eventId),
            "session.update" => PlatformSessionFields.CheckSession(node["session"]!.AsObject(), sessionModel, eventId)
                ?? CanonicalizeSession(node["session"]!.AsObject(), eventId),
            "response.create" => CanonicalizeResponse(node, eventId),
            "conversation.item.create" => CanonicalizeItem(node["item"]!.AsObject(), eventId),
            "conversation.item.truncate" => CheckTruncate(node, eventId),
            _ => null,
        };
        if (error is not null)
            return ClientTranslation.Fail(error);

        if (type == "input_audio_buffer.append")
        {
            // The fast path declined (field order or a null event_id): re-serialize the three known fields and decode.
            var clean = new JsonObject { ["type"] = type, ["audio"] = node["audio"]!.GetValue<string>() };
            if (eventId is not null) clean["event_id"] = eventId;
            if (!TryTranslateAppend(WireJson.ToUtf8Bytes(clean), out var frame, out _, out var appendError))
                throw new InvalidOperationException("A normalized append event was not recognised.");
            return appendError is not null ? ClientTranslation.Fail(appendError) : ClientTranslation.Send(frame!);
        }

        var canonical = WireJson.ToUtf8Bytes(node);
        if (canonical.Length > SessionStreamLimits.MaxClientEventBytes)
        {
            // Item audio converted to 24 kHz PCM can outgrow what it was: no provider accepts an event this large.
            return ClientTranslation.Fail(RealtimeErrorEvent.Invalid("message_too_large",
                $"After conversion to 24 kHz PCM this event is {canonical.Length} bytes, over the limit of {SessionStreamLimits.MaxClientEventBytes} bytes; send the audio in smaller items or as input_audio_buffer.append.",
                null, eventId));
        }
        return ClientTranslation.Send(new SessionClientFrame { ClientEvent = new ClientEvent { Json = ByteString.CopyFrom(canonical) } });
    }

    private static RealtimeErrorEvent? InvalidAppend(JsonObject node, string? eventId)
    {
        foreach (var property in node)
        {
            if (property.Key is not ("type" or "event_id" or "audio"))
                return RealtimeErrorEvent.Invalid("unknown_parameter", $"Unknown parameter: '{property.Key}'.", property.Key, eventId);
        }
        return null;
    }

    private static RealtimeErrorEvent? CheckTruncate(JsonObject node, string? eventId)
    {
        foreach (var name in new[] { "content_index", "audio_end_ms" })
        {
            var value = node[name]!.AsValue();
            if (!value.TryGetValue<long>(out var number) || number < 0)
                return RealtimeErrorEvent.Invalid("invalid_value", $"Invalid '{name}': expected a non-negative integer.", name, eventId);
        }
        return null;
    }

    /// <summary>Validates and records the client's audio formats; the canonical event says PCM16 24 kHz.</summary>
    private RealtimeErrorEvent? CanonicalizeSession(JsonObject session, string? eventId)
    {
        var recordingError = SessionRecordingOverride.Take(session, eventId, out var recordingRequested);
        if (recordingError is not null) return recordingError;
        if (session["audio"] is not JsonObject audio)
        {
            if (recordingRequested is { } only) recording?.Override(only);
            return null;
        }
        AudioFormat? input = null, output = null;
        foreach (var (direction, path) in new[] { ("input", "session.audio.input.format"), ("output", "session.audio.output.format") })
        {
            if (audio[direction] is not JsonObject side || !side.TryGetPropertyValue("format", out var formatNode) || formatNode is null) continue;
            var error = ParseFormat(formatNode, path, eventId, out var format);
            if (error is not null) return error;
            side["format"] = CanonicalFormat();
            if (direction == "input") input = format; else output = format;
        }
        if (input is { } i) formats.SetInput(i);
        if (output is { } o) formats.SetOutput(o);
        if (recordingRequested is { } on) recording?.Override(on);
        return null;
    }

    private static RealtimeErrorEvent? CanonicalizeResponse(JsonObject node, string? eventId)
    {
        if (!node.TryGetPropertyValue("response", out var response) || response is null) return null;
        if (response is not JsonObject responseObject)
            return RealtimeErrorEvent.WrongType("response", "an object", eventId);
        if (PlatformSessionFields.CheckResponse(responseObject, eventId) is { } invalid)
            return invalid;
        if (responseObject["audio"] is JsonObject audio && audio["output"] is JsonObject output
            && output.TryGetPropertyValue("format", out var formatNode) && formatNode is not null)
        {
            // Per-response formats are validated; the response's audio is delivered in the session's output format.
            var error = ParseFormat(formatNode, "response.audio.output.format", eventId, out _);
            if (error is not null) return error;
            output["format"] = CanonicalFormat();
        }
        return null;
    }

    /// <summary>Client audio inside an item (input_audio content) is converted to canonical PCM16 24 kHz base64.</summary>
    private RealtimeErrorEvent? CanonicalizeItem(JsonObject item, string? eventId)
    {
        if (item["content"] is not JsonArray content) return null;
        for (var i = 0; i < content.Count; i++)
        {
            if (content[i] is not JsonObject part || part["audio"] is not JsonValue audioValue) continue;
            if (!audioValue.TryGetValue<string>(out var base64))
                return RealtimeErrorEvent.WrongType($"item.content[{i}].audio", "a string", eventId);
            byte[] clientAudio;
            try
            {
                clientAudio = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                return RealtimeErrorEvent.Invalid("invalid_value", $"Invalid 'item.content[{i}].audio': expected base64-encoded audio.",
                    $"item.content[{i}].audio", eventId);
            }
            if (formats.Input == AudioFormat.Pcm16At24kHz) continue;
            var transcoder = new AudioTranscoder(formats.Input, AudioFormat.Pcm16At24kHz);
            var pcm = new byte[transcoder.GetMaxOutputBytes(clientAudio.Length)];
            var written = transcoder.Transcode(clientAudio, pcm);
            part["audio"] = Convert.ToBase64String(pcm, 0, written);
        }
        return null;
    }

    private static RealtimeErrorEvent? ParseFormat(JsonNode formatNode, string path, string? eventId, out AudioFormat format)
    {
        format = default;
        if (formatNode is not JsonObject formatObject)
            return RealtimeErrorEvent.WrongType(path, "an object", eventId);
        if (formatObject["type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var type))
            return RealtimeErrorEvent.Missing(path + ".type", eventId);
        int? rate = null;
        if (formatObject.TryGetPropertyValue("rate", out var rateNode) && rateNode is not null)
        {
            if (rateNode is not JsonValue rateValue || !rateValue.TryGetValue<int>(out var r))
                return RealtimeErrorEvent.WrongType(path + ".rate", "an integer", eventId);
            rate = r;
        }
        if (!type.StartsWith("audio/", StringComparison.Ordinal) || !AudioFormat.TryParseRealtime(type, rate, out format))
        {
            return RealtimeErrorEvent.Invalid("invalid_value",
                $"Invalid value: '{type}'. Supported values are: 'audio/pcm', 'audio/pcmu', and 'audio/pcma'.", path + ".type", eventId);
        }
        if (format.Encoding == AudioEncoding.Pcm16 && format.SampleRate != AudioFormat.RealtimePcmSampleRate)
        {
            return RealtimeErrorEvent.Invalid("invalid_value",
                $"Invalid '{path}.rate': audio/pcm supports only 24000 Hz, but got {format.SampleRate}.", path + ".rate", eventId);
        }
        return null;
    }

    private static JsonObject CanonicalFormat() => new() { ["type"] = "audio/pcm", ["rate"] = AudioFormat.RealtimePcmSampleRate };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "an integer",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>Either a frame for the Router or an error event for the client.</summary>
public readonly record struct ClientTranslation(SessionClientFrame? Frame, RealtimeErrorEvent? Error)
{
    public static ClientTranslation Send(SessionClientFrame frame) => new(frame, null);

    public static ClientTranslation Fail(RealtimeErrorEvent error) => new(null, error);
}
