namespace VoicePlatform.Router.Sessions;

/// <summary>
/// Decides, per client control event, whether it is handed to the provider, so that a turn the Gateway replays after
/// a Router change takes effect once: a <c>conversation.item.create</c> whose item id the restored conversation already
/// holds was applied by the previous Router (and checkpointed) and is dropped; every other event is handed, and a
/// <c>response.create</c> is noted first so the response it causes can say which request it answers. Frames up to
/// <paramref name="coveredInputSeq"/> (the audio of turns the checkpoint holds, replayed because their ack did not reach
/// the Gateway) are not handed at all (<see cref="IsCovered"/>).
/// </summary>
public sealed class ReplayedTurns(ResponseRequests requests, IReadOnlySet<string> restoredItemIds, ILogger logger, ulong coveredInputSeq = 0)
{
    private long _coveredFrames;

    /// <summary>Whether client frame <paramref name="seq"/> is already in the restored conversation (frames come in order).</summary>
    public bool IsCovered(ulong seq)
    {
        if (seq != 0 && seq <= coveredInputSeq)
        {
            _coveredFrames++;
            return true;
        }
        if (_coveredFrames > 0)
        {
            logger.LogInformation("{Count} replayed client frame(s) up to {Seq} are in the restored conversation already; not handed again", _coveredFrames, coveredInputSeq);
            _coveredFrames = 0;
        }
        return false;
    }

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
