namespace VoicePlatform.Router.Sessions;

/// <summary>
/// Decides, per client control event, whether it is handed to the provider, so that a turn the Gateway replays after
/// a Router change takes effect once: a <c>conversation.item.create</c> whose item id the restored conversation already
/// holds was applied by the previous Router (and checkpointed) and is dropped; every other event is handed, and a
/// <c>response.create</c> is noted first so the response it causes can say which request it answers.
/// </summary>
public sealed class ReplayedTurns(ResponseRequests requests, IReadOnlySet<string> restoredItemIds, ILogger logger)
{
    public bool ShouldHand(ulong seq, ReadOnlySpan<byte> json)
    {
        var header = ClientEventHeader.Read(json);
        switch (header.Type)
        {
            case "conversation.item.create" when header.ItemId is { } itemId && restoredItemIds.Contains(itemId):
                logger.LogInformation("Replayed item {ItemId} (frame {Seq}) is already in the restored conversation; not applied again", itemId, seq);
                return false;
            case "response.create":
                requests.Requested(seq, header.EventId);
                return true;
            default:
                return true;
        }
    }
}
