using VoicePlatform.Contracts.Json;
using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Audio;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.Recordings;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// Canonical server frames → OpenAI Realtime server events for this client: audio becomes base64 in the client's
/// output format, and session objects show the client's own formats, the platform session id and (once the client set
/// it, or while recording) the <c>recording</c> extension field. Every other event passes through byte for byte.
/// </summary>
public sealed class ServerEventTranslator(ClientAudioFormats formats, string sessionId, SessionRecordingSwitch? recording = null)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private Utf8JsonWriter? _writer;
    private byte[] _clientAudio = [];

    /// <summary>A <c>response.output_audio.delta</c> event; the returned memory is valid until the next call.</summary>
    public ReadOnlyMemory<byte> AudioDelta(OutputAudio audio)
    {
        ReadOnlySpan<byte> bytes = audio.Pcm16.Span;
        if (!formats.IsOutputPassthrough(audio.SampleRate))
        {
            var written = formats.EncodeOutput(bytes, audio.SampleRate, ref _clientAudio);
            bytes = _clientAudio.AsSpan(0, written);
        }

        _buffer.ResetWrittenCount();
        if (_writer is null) _writer = new Utf8JsonWriter(_buffer, WireJson.WriterOptions); else _writer.Reset(_buffer);
        Span<byte> eventId = stackalloc byte[28];
        _writer.WriteStartObject();
        _writer.WriteString("type"u8, "response.output_audio.delta"u8);
        _writer.WriteString("event_id"u8, RealtimeIds.WriteEventId(eventId));
        _writer.WriteString("response_id"u8, audio.ResponseId);
        _writer.WriteString("item_id"u8, audio.ItemId);
        _writer.WriteNumber("output_index"u8, audio.OutputIndex);
        _writer.WriteNumber("content_index"u8, audio.ContentIndex);
        _writer.WriteBase64String("delta"u8, bytes);
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenMemory;
    }

    /// <summary>Any other event. Returns <paramref name="json"/> itself unless the event needs the client's view.</summary>
    public ReadOnlyMemory<byte> Event(ReadOnlyMemory<byte> json, out string? type)
    {
        type = RealtimeEventType.Read(json.Span);
        switch (type)
        {
            case "session.created" or "session.updated":
            {
                var node = JsonNode.Parse(json.Span)!.AsObject();
                if (node["session"] is JsonObject session)
                {
                    session["id"] = sessionId;
                    if (recording is { IsVisible: true }) session[SessionRecordingOverride.Field] = recording.Value;
                    if (session["audio"] is JsonObject audio)
                    {
                        if (audio["input"] is JsonObject input) input["format"] = FormatJson(formats.Input);
                        if (audio["output"] is JsonObject output) output["format"] = FormatJson(formats.Output);
                    }
                }
                return WireJson.ToUtf8Bytes(node);
            }
            case "response.created" or "response.done" when !formats.IsOutputPassthrough(AudioFormat.RealtimePcmSampleRate):
            {
                var node = JsonNode.Parse(json.Span)!.AsObject();
                if (node["response"]?["audio"]?["output"] is JsonObject output && output.ContainsKey("format"))
                    output["format"] = FormatJson(formats.Output);
                return WireJson.ToUtf8Bytes(node);
            }
            default:
                return json;
        }
    }

    private static JsonObject FormatJson(AudioFormat format) => format.Encoding == AudioEncoding.Pcm16
        ? new JsonObject { ["type"] = "audio/pcm", ["rate"] = format.SampleRate }
        : new JsonObject { ["type"] = format.RealtimeType };
}
