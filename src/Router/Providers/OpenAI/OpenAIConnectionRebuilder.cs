using System.Net.WebSockets;
using System.Text.Json.Nodes;
using VoicePlatform.Contracts.Json;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// Rebuilds a fresh OpenAI connection (a rollover's next connection, or a resumed session's first) from the session's
/// own record: the effective session, then every finished item with its id. Rejections are logged and skipped (a field
/// the server refuses is dropped and the update retried); only a connection that goes away makes the rebuild fail. The
/// answers arrive through the connection's reader (<see cref="OpenAIReplayOperations"/>).
/// </summary>
internal sealed class OpenAIConnectionRebuilder(OpenAIProviderOptions settings, TimeProvider time, ILogger logger, Func<string, string> nextEventId)
{
    private const int SessionUpdateAttempts = 8;

    /// <param name="stopping">The session is ending: not a reason to call the connection unusable.</param>
    public async Task RebuildAsync(OpenAIUpstream upstream, JsonObject? session, List<JsonObject> items, CancellationToken cancellationToken, CancellationToken stopping)
    {
        using var expiry = new CancellationTokenSource(settings.ConnectTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping, expiry.Token);
        try
        {
            var restored = await RestoreSessionAsync(upstream, session, timeout.Token);
            var skipped = await RestoreItemsAsync(upstream, items, timeout.Token);
            logger.LogInformation("OpenAI connection {Connection} rebuilt: session {Session}, {Items} items, {Skipped} skipped",
                upstream.Number, restored ? "restored" : "default", items.Count - skipped, skipped);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            // The server did not confirm everything in time; what it confirms later is still swallowed by id.
            if (upstream.Closed) throw Unusable(upstream);
            logger.LogWarning("OpenAI connection {Connection} did not confirm the restored conversation within {Timeout}; continuing",
                upstream.Number, settings.ConnectTimeout);
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            throw new ProviderConnectException("provider_unavailable", "The connection to OpenAI was lost while the session was being restored.", e);
        }
    }

    /// <summary>The effective session as one session.update; true when the record had one to restore.</summary>
    private async Task<bool> RestoreSessionAsync(OpenAIUpstream upstream, JsonObject? session, CancellationToken cancellationToken)
    {
        var update = OpenAIReplay.SessionForUpdate(session);
        if (update is not null && settings.IsXai) XaiDialect.ToUpstream(update);
        for (var attempt = 0; update is not null && attempt < SessionUpdateAttempts; attempt++)
        {
            var eventId = nextEventId("session");
            var op = upstream.Replay.Register(eventId, null);
            upstream.Replay.SessionUpdateEventId = eventId;
            await SendJsonAsync(upstream, new JsonObject { ["type"] = "session.update", ["event_id"] = eventId, ["session"] = update.DeepClone() }, cancellationToken);
            var result = await WaitAsync(upstream, op, cancellationToken);
            if (result.Ok) break;
            upstream.Replay.SessionUpdateEventId = null;
            logger.LogWarning("OpenAI rejected the restored session ({Code} {Param}): {Message}", result.Code, result.Param, result.Message);
            if (result.Param is null || !OpenAIReplay.RemoveParam(update, result.Param))
            {
                logger.LogWarning("The restored session could not be applied; connection {Connection} keeps the server defaults", upstream.Number);
                break;
            }
        }
        return update is not null;
    }

    /// <summary>One conversation.item.create per item, same ids, all sent before waiting; returns how many were skipped.</summary>
    private async Task<int> RestoreItemsAsync(OpenAIUpstream upstream, List<JsonObject> items, CancellationToken cancellationToken)
    {
        var pending = new List<(string Id, Task<ReplayResult> Op)>(items.Count);
        var skipped = 0;
        foreach (var item in items)
        {
            var create = OpenAIReplay.ItemForCreate(item);
            if (create is null)
            {
                skipped++;
                logger.LogWarning("Conversation item {ItemId} of type {Type} cannot be restored; skipped", item["id"].Str(), item["type"].Str());
                continue;
            }
            var id = create["id"].Str()!;
            var eventId = nextEventId("item");
            var op = upstream.Replay.Register(eventId, id);
            await SendJsonAsync(upstream, new JsonObject { ["type"] = "conversation.item.create", ["event_id"] = eventId, ["item"] = create }, cancellationToken);
            pending.Add((id, op));
        }
        foreach (var (id, op) in pending)
        {
            var result = await WaitAsync(upstream, op, cancellationToken);
            if (result.Ok) continue;
            skipped++;
            logger.LogWarning("OpenAI rejected restored item {ItemId} ({Code} {Param}): {Message}", id, result.Code, result.Param, result.Message);
        }
        return skipped;
    }

    private static async Task SendJsonAsync(OpenAIUpstream upstream, JsonObject message, CancellationToken cancellationToken) =>
        await upstream.Socket.SendAsync(WireJson.ToUtf8Bytes(message), WebSocketMessageType.Text, true, cancellationToken);

    private static async Task<ReplayResult> WaitAsync(OpenAIUpstream upstream, Task<ReplayResult> op, CancellationToken cancellationToken)
    {
        await Task.WhenAny(op, upstream.Gone.Task).WaitAsync(cancellationToken);
        if (op.IsCompleted) return await op;
        throw Unusable(upstream);
    }

    private static ProviderConnectException Unusable(OpenAIUpstream upstream) =>
        new("provider_unavailable", $"OpenAI closed the connection while the session was being restored ({upstream.CloseStatus} {upstream.CloseReason}).");
}
