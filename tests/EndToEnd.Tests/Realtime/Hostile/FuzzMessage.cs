namespace VoicePlatform.EndToEnd.Tests.Realtime.Hostile;

/// <summary>
/// One generated client message. <see cref="EventId"/> is the id a reader can still recover from the bytes (null when
/// the mutation destroyed it); <see cref="MustFail"/> messages must each get exactly one error event carrying it.
/// </summary>
public sealed record FuzzMessage(string Class, byte[] Bytes, bool Binary, string? EventId, bool MustFail)
{
    public override string ToString()
    {
        var text = System.Text.Encoding.UTF8.GetString(Bytes, 0, Math.Min(Bytes.Length, 300));
        return $"[{Class}{(Binary ? ", binary" : "")}, {Bytes.Length} bytes, event_id {EventId ?? "(unreadable)"}] {text}{(Bytes.Length > 300 ? "…" : "")}";
    }
}
