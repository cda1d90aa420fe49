using System.Buffers;
using VoicePlatform.Contracts.Json;
using System.Text.Json;

namespace VoicePlatform.Emulators.OpenAIRealtime.Protocol;

/// <summary>
/// Builds one server event at a time into a reused buffer (no per-event allocation besides the socket send).
/// Not thread-safe: the session serialises all emission through its gate.
/// </summary>
internal sealed class EventWriter : IDisposable
{
    // The real service does not escape '+' or '\'' (base64, "it's"), nor non-ASCII text and emoji; the default encoder
    // would, and even UnsafeRelaxedJsonEscaping escapes emoji.
    private static readonly JsonWriterOptions Options = WireJson.WriterOptions;

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly IdGenerator _ids;

    public EventWriter(IdGenerator ids)
    {
        _ids = ids;
        _json = new Utf8JsonWriter(_buffer, Options);
    }

    /// <summary>Starts <c>{"type":…,"event_id":…</c>; the caller adds the fields and calls <see cref="Finish"/>.</summary>
    public Utf8JsonWriter Start(ReadOnlySpan<byte> type)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("type"u8, type);
        _ids.WriteEventId(_json);
        return _json;
    }

    public ReadOnlyMemory<byte> Finish()
    {
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenMemory;
    }

    public void Dispose() => _json.Dispose();
}
