using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using VoicePlatform.Contracts.Json;
using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.Sessions.Switching;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// Moves an OpenAI session to a new connection before the current one reaches its cap. Once the connection's age
/// reaches <c>cap − RolloverMargin</c> it waits for a turn boundary (<see cref="OpenAITurnTracker.AtTurnBoundary"/>),
/// then: client frames are held (<see cref="ConnectionSwitch{TConnection}"/>), a fence proves the old connection
/// answered everything sent to it, a new connection is opened and rebuilt, and the switch flushes the held frames to
/// it; the old one is retired. With no boundary by <c>cap − RolloverMargin/4</c> the rollover is forced: an
/// unfinished response may finish while there is time, then it is cancelled, and an utterance in progress is heard
/// again by the new connection. A switch that fails leaves the client on the old connection, with nothing lost.
/// </summary>
internal sealed class OpenAIRollover(
    IOpenAIRolloverHost host,
    ConnectionSwitch<OpenAIUpstream> connections,
    OpenAITurnTracker turns,
    OpenAISessionRecord record,
    UncommittedAudio uncommitted,
    OpenAIProviderOptions settings,
    TimeProvider time,
    ILogger logger,
    Action<string, TimeSpan, string>? reportContinuity)
{
    private const int BytesPerMs = UncommittedAudio.BytesPerSecond / 1000;
    private static readonly TimeSpan FenceTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan TurnPoll = TimeSpan.FromMilliseconds(250);

    private readonly List<Task> _retiring = [];

    /// <summary>How many times the session moved to a new connection.</summary>
    public int Count { get; private set; }

    /// <summary>Rolls the session over before each connection's cap, until <paramref name="token"/> or the session ends.</summary>
    public async Task RunAsync(CancellationToken token)
    {
        try
        {
            while (!token.IsCancellationRequested && !host.Ended)
            {
                var current = connections.Current!;
                var margin = settings.RolloverMargin;
                var lifetime = current.Deadline - current.ConnectStarted;
                if (current.Deadline == long.MaxValue || margin <= TimeSpan.Zero || lifetime <= 2 * Ticks(margin))
                {
                    // Connections this short would be replaced as soon as they exist; their cap reaches the client.
                    logger.LogInformation("OpenAI connection {Connection} lives {Lifetime}; not rolled over (margin {Margin})",
                        current.Number, TimeSpan.FromSeconds(lifetime / (double)time.TimestampFrequency), margin);
                    return;
                }
                var forceAt = current.Deadline - Ticks(margin / 4);
                await Task.Delay(Until(current.Deadline - Ticks(margin)), time, token);
                logger.LogInformation("OpenAI connection {Connection} is {Remaining} from its cap; rolling over at the next turn boundary",
                    current.Number, Until(current.Deadline));

                var switched = false;
                while (!switched && time.GetTimestamp() < forceAt && !current.Closed)
                {
                    if (turns.AtTurnBoundary(record.ManualTurns)) switched = await TrySwitchAsync(current, forced: false, token);
                    if (switched || host.Ended) break;
                    var wait = Until(forceAt);
                    await turns.WaitForChangeAsync(wait < TurnPoll ? wait : TurnPoll, token);
                }
                while (!switched && !host.Ended && !current.Closed && time.GetTimestamp() < current.Deadline)
                {
                    logger.LogWarning("OpenAI connection {Connection}: no turn boundary before {Remaining} from the cap; forcing the rollover",
                        current.Number, Until(current.Deadline));
                    switched = await TrySwitchAsync(current, forced: true, token);
                    if (!switched) await Task.Delay(TimeSpan.FromMilliseconds(500), time, token);
                }
                if (!switched)
                {
                    logger.LogWarning("OpenAI connection {Connection}: rollover failed; the provider's cap ends the session", current.Number);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "OpenAI session rollover loop failed");
        }
    }

    /// <summary>The retired connections' closes (awaited when the session is disposed).</summary>
    public Task RetiredAsync()
    {
        lock (_retiring) return Task.WhenAll(_retiring);
    }

    /// <summary>
    /// Moves the client to a new connection. Client frames are held from the start; the fence proves the old
    /// connection answered everything sent before; a graceful attempt gives up (frames flushed to the old connection,
    /// nothing lost) if a turn started meanwhile.
    /// </summary>
    private async Task<bool> TrySwitchAsync(OpenAIUpstream old, bool forced, CancellationToken token)
    {
        var switchStarted = time.GetTimestamp();
        await connections.BeginAsync(token);

        OpenAIUpstream? next = null;
        var switched = false;
        try
        {
            if (!await FenceAsync(old, forced, token) && !forced) return false;
            if (!forced && !turns.AtTurnBoundary(record.ManualTurns))
            {
                logger.LogDebug("Rollover postponed: a turn started on connection {Connection}", old.Number);
                return false;
            }
            if (forced) await FinishResponseAsync(old, token);

            try
            {
                next = await host.ConnectAsync(token);
                connections.Propose(next);
                host.StartReading(next);
                await host.WaitForCreatedAsync(next, token);
                await host.RebuildAsync(next, token);
            }
            catch (Exception e) when (!token.IsCancellationRequested && e is ProviderConnectException or WebSocketException or IOException)
            {
                logger.LogWarning("OpenAI rollover from connection {Connection} failed: {Error}", old.Number, e.Message);
                return false;
            }

            // Forced mid-utterance: the new connection hears the utterance so far again (the old one never committed it).
            var utteranceOpen = false;
            await connections.CompleteAsync(next,
                swapped: () =>
                {
                    utteranceOpen = forced && !uncommitted.IsStale && (turns.SpeechActive || (record.ManualTurns && turns.AudioSinceCommit));
                    turns.Reset();
                },
                handOver: async upstream =>
                {
                    if (utteranceOpen) await ReplayUncommittedAsync(upstream, token);
                    else uncommitted.Clear();
                    await host.FlushHeldAsync(upstream, token);
                });
            switched = true;
            Count++;
            logger.LogInformation("OpenAI session rolled over from connection {Old} to {New} ({Mode}, {Remaining} before the cap)",
                old.Number, next.Number, forced ? "forced" : "turn boundary", Until(old.Deadline));
            Retire(old);
            reportContinuity?.Invoke("provider_rollover", time.GetElapsedTime(switchStarted),
                $"connection {next.Number} ({(forced ? "forced" : "turn boundary")})");
            return true;
        }
        finally
        {
            if (!switched) await AbandonAsync(old, next, token);
        }
    }

    /// <summary>Sends the uncommitted audio to <paramref name="upstream"/> in 1 s appends. Callers hold the send lock.</summary>
    private async Task ReplayUncommittedAsync(OpenAIUpstream upstream, CancellationToken cancellationToken)
    {
        var (first, second) = uncommitted.Pieces();
        logger.LogInformation("OpenAI rollover mid-utterance: {Ms} ms of uncommitted audio sent again to connection {Connection}",
            uncommitted.Length / BytesPerMs, upstream.Number);
        turns.AudioReplayed(uncommitted.Length > 0);
        foreach (var piece in new[] { first, second })
        {
            for (var offset = 0; offset < piece.Length; offset += UncommittedAudio.BytesPerSecond)
                await host.AppendUpstreamAsync(upstream, piece.Slice(offset, Math.Min(UncommittedAudio.BytesPerSecond, piece.Length - offset)), cancellationToken);
        }
    }

    /// <summary>Sends the fence (an event the server can only reject) and waits for its error, or the connection's end.</summary>
    private async Task<bool> FenceAsync(OpenAIUpstream old, bool forced, CancellationToken token)
    {
        if (old.Closed) return false;
        var fenceId = host.NextEventId("fence");
        var fence = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.Fence = fence;
        old.FenceEventId = fenceId;
        if (!await SendAsync(old, new JsonObject { ["type"] = "conversation.item.retrieve", ["event_id"] = fenceId, ["item_id"] = fenceId }, token))
            return false;
        var limit = forced ? Min(FenceTimeout, Until(old.Deadline)) : FenceTimeout;
        try
        {
            await Task.WhenAny(fence.Task, old.Gone.Task).WaitAsync(limit, time, token);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("OpenAI connection {Connection} did not answer the rollover fence within {Limit}", old.Number, limit);
        }
        return fence.Task.IsCompleted;
    }

    /// <summary>Forced rollover: let a response in progress finish while there is time, then cancel it.</summary>
    private async Task FinishResponseAsync(OpenAIUpstream old, CancellationToken token)
    {
        var cancelAt = old.Deadline - Ticks(settings.RolloverMargin / 8);
        while (turns.ResponseActive && !old.Closed && time.GetTimestamp() < cancelAt)
            await turns.WaitForChangeAsync(Min(TimeSpan.FromMilliseconds(100), Until(cancelAt)), token);
        if (!turns.ResponseActive || old.Closed) return;

        var cancelId = host.NextEventId("cancel");
        old.CancelEventId = cancelId;
        if (!await SendAsync(old, new JsonObject { ["type"] = "response.cancel", ["event_id"] = cancelId }, token)) return;
        var limit = time.GetTimestamp() + Ticks(TimeSpan.FromSeconds(1));
        while (turns.ResponseActive && !old.Closed && time.GetTimestamp() < limit)
            await turns.WaitForChangeAsync(TimeSpan.FromMilliseconds(50), token);
    }

    /// <summary>One of the rollover's own events, under the send lock; false if the connection is already unusable.</summary>
    private async Task<bool> SendAsync(OpenAIUpstream upstream, JsonObject message, CancellationToken token)
    {
        await connections.EnterSendAsync(token);
        try
        {
            await upstream.Socket.SendAsync(WireJson.ToUtf8Bytes(message), WebSocketMessageType.Text, true, token);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            connections.ExitSend();
        }
    }

    /// <summary>The switch did not happen: the client stays on the old connection (or, if that one is gone, the session ends).</summary>
    private async Task AbandonAsync(OpenAIUpstream old, OpenAIUpstream? next, CancellationToken token)
    {
        if (next is not null) Retire(next);
        var oldGone = await connections.AbandonAsync(next, isGone: () => old.Closed, handBack: async gone =>
        {
            if (!gone && !token.IsCancellationRequested) await host.FlushHeldAsync(old, CancellationToken.None);
            else connections.Held.Clear();
        });

        if (token.IsCancellationRequested) return;
        // What the rollover kept from the client is now the client's: the cap error, then the close.
        if (old.ExpiredError is { } expired)
        {
            old.ExpiredError = null;
            if (!host.Ended) await host.ForwardAsync(new CanonicalEvent("error", expired));
        }
        if (oldGone) await host.EndSessionAsync(old.CloseStatus ?? RealtimeCloseCodes.InternalError, old.CloseReason ?? "provider_connection_lost");
    }

    private void Retire(OpenAIUpstream upstream)
    {
        lock (_retiring) _retiring.Add(upstream.CloseAsync("session moved to a new connection"));
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    private TimeSpan Until(long timestamp)
    {
        var remaining = timestamp - time.GetTimestamp();
        return remaining <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(remaining / (double)time.TimestampFrequency);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
