using VoicePlatform.Contracts.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using VoicePlatform.Contracts.Router;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Realtime.Failover;

/// <summary>
/// Gives a turn's control events the ids that make their replay after a Router change recognisable: a
/// <c>conversation.item.create</c> without an <c>item.id</c> gets one (the id the provider would otherwise invent anew
/// on each Router; the next Router drops a replayed item whose id its restored conversation holds), a
/// <c>response.create</c> without an <c>event_id</c> gets one (an <c>error</c> refusing it names it). The frame
/// carries them, so every replay of it is the same event. Anything else, or JSON that cannot be read, passes as it is.
/// </summary>
public static class TurnIds
{
    public static void Assign(SessionClientFrame frame)
    {
        if (frame.FrameCase != SessionClientFrame.FrameOneofCase.ClientEvent) return;
        var json = frame.ClientEvent.Json.Span;
        var type = RealtimeEventType.Read(json);
        if (type is not ("conversation.item.create" or "response.create")) return;
        try
        {
            if (JsonNode.Parse(json) is not JsonObject message) return;
            if (type == "response.create")
            {
                if (message["event_id"] is JsonValue existing && existing.TryGetValue<string>(out _)) return;
                if (message.ContainsKey("event_id")) return; // present but not a string: the provider's validation answers it
                message["event_id"] = RealtimeIds.New("event");
            }
            else
            {
                if (message["item"] is not JsonObject item || item.ContainsKey("id")) return;
                item["id"] = RealtimeIds.New("item");
            }
            frame.ClientEvent.Json = ByteString.CopyFrom(WireJson.ToUtf8Bytes(message));
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // Not ours to judge (duplicate keys, odd shapes): forwarded unchanged, and answered where it is validated.
        }
    }
}
