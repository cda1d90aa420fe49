using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// A canonical (OpenAI Realtime GA) server event on its way to the client: the JSON and its <c>type</c>, read once where
/// the event is made, so the layers it passes through (acknowledgement, checkpoint, tools, recording, the Gateway
/// stream) switch on <see cref="Type"/> instead of each scanning the JSON again. The JSON is valid for the call only.
/// </summary>
public readonly struct CanonicalEvent
{
    public CanonicalEvent(string type, ReadOnlyMemory<byte> json)
    {
        Type = type;
        Json = json;
    }

    /// <summary>The event's <c>type</c> ("" when it has none, which no layer acts on).</summary>
    public string Type { get; }

    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>An event whose type is not known yet: read from the JSON (one scan of its first properties).</summary>
    public static CanonicalEvent Read(ReadOnlyMemory<byte> json) => new(RealtimeEventType.Read(json.Span) ?? "", json);

    /// <summary>An <c>error</c> event.</summary>
    public static CanonicalEvent Of(RealtimeErrorEvent error) => new("error", error.ToJson());

    /// <summary>The same type with other JSON (a layer that rewrote the event).</summary>
    public CanonicalEvent WithJson(ReadOnlyMemory<byte> json) => new(Type, json);
}
