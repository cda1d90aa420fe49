using VoicePlatform.Contracts.Json;
using System.Buffers;
using System.Text.Json;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>Builds one JSON message at a time into a reusable buffer (server events and Gemini client messages alike).</summary>
internal sealed class EventWriter : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _writer;
    private string _eventType = "";

    public EventWriter()
    {
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true, Encoder = WireJson.Encoder });
    }

    /// <summary>Starts a server event: <c>{"type":…,"event_id":"event_…"</c>.</summary>
    public Utf8JsonWriter StartEvent(ReadOnlySpan<byte> type)
    {
        _eventType = KnownEventTypes.Find(type) ?? System.Text.Encoding.UTF8.GetString(type);
        var w = StartObject();
        w.WriteString("type"u8, type);
        w.WriteString("event_id"u8, RealtimeIds.New("event"));
        return w;
    }

    /// <summary>Starts a bare JSON object.</summary>
    public Utf8JsonWriter StartObject()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        return _writer;
    }

    /// <summary>Closes the server event begun with <see cref="StartEvent"/>; the JSON is valid until the next Start.</summary>
    public CanonicalEvent FinishEvent() => new(_eventType, Finish());

    /// <summary>Closes the object; the memory is valid until the next Start.</summary>
    public ReadOnlyMemory<byte> Finish()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenMemory;
    }

    public void Dispose() => _writer.Dispose();
}
