using System.Text.Json.Nodes;
using VoicePlatform.Router.Sessions.Switching;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// What the OpenAI session learns from the provider's events: the record (effective session, conversation), the turn
/// state a rollover waits on, and the connector's own traffic (replay echoes, the rollover fence, the cap of a
/// connection being replaced), which it keeps from the client. Called by a connection's reader only.
/// </summary>
internal sealed class OpenAIEventObserver(
    OpenAISessionRecord record,
    OpenAITurnTracker turns,
    UncommittedAudio uncommitted,
    ConnectionSwitch<OpenAIUpstream> connections,
    OpenAIProviderOptions settings,
    ILogger logger)
{
    private const int BytesPerMs = OpenAIAudioCodec.UpstreamSampleRate * 2 / 1000;

    // The item the model's audio is streaming into, and how much of it came, for the item's duration in the record.
    private string? _audioItemId;
    private long _audioItemBytes;

    /// <summary>Counts model audio for its item (<paramref name="itemId"/> is a cached string: compared by reference).</summary>
    public void AudioReceived(string itemId, int bytes)
    {
        if (!ReferenceEquals(itemId, _audioItemId))
        {
            _audioItemId = itemId;
            _audioItemBytes = 0;
        }
        _audioItemBytes += bytes;
    }

    /// <summary>
    /// Keeps the record and the turn state from an event of the current connection. False when the event is the
    /// connector's own business and must not reach the client.
    /// </summary>
    public bool Observe(OpenAIUpstream upstream, OpenAIEventKind kind, ReadOnlySpan<byte> message)
    {
        switch (kind)
        {
            case OpenAIEventKind.ResponseCreated:
                turns.ResponseCreated();
                return true;
            case OpenAIEventKind.ResponseDone:
                turns.ResponseDone();
                return true;
            case OpenAIEventKind.SpeechStarted:
                turns.SpeechStarted();
                return true;
            case OpenAIEventKind.SpeechStopped:
                turns.SpeechStopped(record.VadCreatesResponses);
                return true;
            case OpenAIEventKind.Cleared:
                uncommitted.MarkStale();
                turns.Cleared();
                return true;
        }

        var node = JsonNode.Parse(message)!.AsObject();
        switch (kind)
        {
            case OpenAIEventKind.SessionCreated:
                if (node["session"] is JsonObject created)
                {
                    upstream.SetDeadline(created["expires_at"].Long(), settings.SessionMaxDuration);
                    record.SessionChanged(created);
                }
                return true;
            case OpenAIEventKind.SessionUpdated:
                if (upstream.Replay.SessionUpdateEventId is not null)
                {
                    // The (late) reply to a replayed session.update.
                    upstream.Replay.SessionUpdateEventId = null;
                    return false;
                }
                if (node["session"] is JsonObject updated) record.SessionChanged(updated);
                return true;
            case OpenAIEventKind.Error:
                return ObserveError(upstream, node, message);
            case OpenAIEventKind.ItemAdded:
            {
                var id = node["item"]?["id"].Str();
                if (id is null) return true;
                if (upstream.Replay.IsEcho(id, done: false)) return false;
                record.ItemAdded(id, node.ContainsKey("previous_item_id"), node["previous_item_id"].Str());
                return true;
            }
            case OpenAIEventKind.ItemDone:
            {
                if (node["item"] is not JsonObject item || item["id"].Str() is not { } id) return true;
                if (upstream.Replay.IsEcho(id, done: true)) return false;
                record.ItemDone(item, id == _audioItemId ? (int)(_audioItemBytes / BytesPerMs) : 0);
                return true;
            }
            case OpenAIEventKind.ItemDeleted:
                if (node["item_id"].Str() is { } deleted) record.ItemDeleted(deleted);
                return true;
            case OpenAIEventKind.ItemTruncated:
                if (node["item_id"].Str() is { } truncated)
                    record.ItemTruncated(truncated, node["content_index"].Int() ?? 0, node["audio_end_ms"].Int() ?? 0);
                return true;
            case OpenAIEventKind.TranscriptionCompleted:
            {
                if (node["item_id"].Str() is not { } id) return true;
                record.TranscriptionCompleted(id, node["content_index"].Int() ?? 0, node["transcript"].Str());
                turns.TranscriptionEnded(id);
                return true;
            }
            case OpenAIEventKind.TranscriptionFailed:
                turns.TranscriptionEnded(node["item_id"].Str());
                return true;
            case OpenAIEventKind.Committed:
                uncommitted.MarkStale();
                turns.Committed(node["item_id"].Str(), record.TranscriptionEnabled);
                return true;
            default:
                return true;
        }
    }

    private bool ObserveError(OpenAIUpstream upstream, JsonObject node, ReadOnlySpan<byte> message)
    {
        var error = node["error"];
        var eventId = error?["event_id"].Str();
        if (eventId is not null)
        {
            if (eventId == upstream.FenceEventId)
            {
                upstream.Fence?.TrySetResult();
                return false;
            }
            if (eventId == upstream.CancelEventId) return false; // nothing was left to cancel
            if (upstream.Replay.Complete(eventId, ReplayResult.Rejected(error)))
            {
                logger.LogWarning("OpenAI rejected a replayed event late ({Code}): {Message}", error?["code"].Str(), error?["message"].Str());
                return false;
            }
        }
        if (error?["code"].Str() == "session_expired")
        {
            // The connection being replaced hit its cap; the rollover forwards this only if it fails.
            var expired = message.ToArray();
            if (connections.IfSwitching(() => upstream.ExpiredError = expired)) return false;
        }
        return true;
    }

    /// <summary>An event of a connection being rebuilt: none of it reaches the client.</summary>
    public void ObserveRebuild(OpenAIUpstream upstream, OpenAIEventKind kind, ReadOnlySpan<byte> message)
    {
        switch (kind)
        {
            case OpenAIEventKind.SessionCreated:
            {
                var node = JsonNode.Parse(message)!;
                upstream.SetDeadline(node["session"]?["expires_at"].Long(), settings.SessionMaxDuration);
                upstream.Created.TrySetResult();
                return;
            }
            case OpenAIEventKind.SessionUpdated:
                if (upstream.Replay.SessionUpdateEventId is { } sessionUpdate)
                {
                    upstream.Replay.SessionUpdateEventId = null;
                    upstream.Replay.Complete(sessionUpdate, ReplayResult.Confirmed);
                }
                return;
            case OpenAIEventKind.Error:
            {
                var error = JsonNode.Parse(message)!["error"];
                var eventId = error?["event_id"].Str();
                if (eventId is not null && upstream.Replay.Complete(eventId, ReplayResult.Rejected(error))) return;
                if (error?["code"].Str() == "session_expired") upstream.ExpiredError = message.ToArray();
                logger.LogWarning("OpenAI connection {Connection} reported an error while being rebuilt ({Code}): {Message}",
                    upstream.Number, error?["code"].Str(), error?["message"].Str());
                return;
            }
            case OpenAIEventKind.ItemDone:
            {
                var id = JsonNode.Parse(message)!["item"]?["id"].Str();
                if (id is not null) upstream.Replay.IsEcho(id, done: true);
                return;
            }
            default:
                return; // item.added echoes and the like
        }
    }
}
