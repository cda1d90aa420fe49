using System.Text.Json;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The OpenAI server events a Gemini session sends its client, written one at a time into one reusable buffer and
/// handed to the session's sink. Callers hold the session's gate, so events leave in the order they are written.
/// </summary>
internal sealed class ClientEventStream(ISessionEventSink sink, CancellationToken lifetime) : IDisposable
{
    private readonly EventWriter _writer = new();

    /// <summary>Starts an event of <paramref name="type"/>; finish it with <see cref="EmitAsync"/>.</summary>
    public Utf8JsonWriter StartEvent(ReadOnlySpan<byte> type) => _writer.StartEvent(type);

    /// <summary>Sends the event begun with <see cref="StartEvent"/>.</summary>
    public ValueTask EmitAsync() => sink.EventAsync(_writer.FinishEvent(), lifetime);

    public ValueTask EmitErrorAsync(ClientError error, string? clientEventId) =>
        sink.EventAsync(new CanonicalEvent("error", error.ToEvent(clientEventId)), lifetime);

    /// <summary>A conversation item event (<c>conversation.item.added</c>, <c>.done</c>, …) with its previous item's id.</summary>
    public ValueTask EmitItemEventAsync(ReadOnlySpan<byte> type, ConversationItem item, string? previous)
    {
        var w = _writer.StartEvent(type);
        WritePrevious(w, previous);
        w.WritePropertyName("item"u8);
        item.WriteTo(w);
        return EmitAsync();
    }

    public static void WritePrevious(Utf8JsonWriter w, string? previous)
    {
        if (previous is null) w.WriteNull("previous_item_id"u8); else w.WriteString("previous_item_id"u8, previous);
    }

    public void Dispose() => _writer.Dispose();
}
