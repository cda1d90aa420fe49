using Grpc.Core;
using VoicePlatform.Contracts.Router;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// The client side of a session stream: hands the Gateway's frames to the provider session in order and acknowledges
/// them back in batches (what the next Router must replay after a failover).
/// </summary>
public static class ClientFramePump
{
    public static IReadOnlySet<string> RestoredItemIds(SessionResumeState? resume) =>
        resume is null ? new HashSet<string>() : resume.History
            .Select(item => item.ValueKind == System.Text.Json.JsonValueKind.Object && item.TryGetProperty("id", out var id)
                && id.ValueKind == System.Text.Json.JsonValueKind.String ? id.GetString() : null)
            .OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Acknowledges in batches, every <paramref name="interval"/> (ContinuityOptions.AckInterval), rather than per frame;
    /// progress made by input audio alone (each frame moves the line) only every <paramref name="audioInterval"/>, since
    /// the Gateway needs it only to trim its replay buffer, while a commit or a control event handed goes out at the
    /// next tick (see <see cref="InputAcknowledgement.TakeUrgent"/>).
    /// The first tick always reports, even with nothing to acknowledge: it tells the Gateway the session is running here.
    /// A resumed session with nothing to answer sends nothing else, and the Gateway must not count such a stream as one
    /// that never worked: when it broke in turn, the Gateway gave up re-attaching, as if detached all along (issue 14:
    /// RouterKillLoopTests lost idle OpenAI sessions to the next kill, 10 s or more later).
    /// </summary>
    public static async Task AcknowledgeAsync(GrpcSessionSink sink, InputAcknowledgement acknowledgement, TimeProvider time,
        TimeSpan interval, TimeSpan audioInterval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        (ulong Safe, ulong Handed)? acked = null;
        var ackedAt = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = (acknowledgement.SafeSeq(), acknowledgement.LastHanded);
                if (now == acked) continue;
                if (acked is not null && !acknowledgement.TakeUrgent() && time.GetElapsedTime(ackedAt) < audioInterval) continue;
                await sink.AckAsync(now.Item1, now.Item2, cancellationToken);
                acked = now;
                ackedAt = time.GetTimestamp();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Hands client frames to the provider until the stream ends; returns the Gateway's end reason if it sent one.</summary>
    public static async Task<string?> RelayAsync(IAsyncStreamReader<SessionClientFrame> clientFrames, IProviderSession session,
        InputAcknowledgement acknowledgement, ReplayedTurns turns, ISessionEventSink output, ILogger logger,
        CancellationToken readToken, CancellationToken cancellationToken)
    {
        // readToken stops the loop between frames (drain); a frame once read is always handed over whole.
        while (await clientFrames.MoveNext(readToken))
        {
            var frame = clientFrames.Current;
            if (frame.FrameCase != SessionClientFrame.FrameOneofCase.Close && turns.IsCovered(frame.Seq))
            {
                acknowledgement.Handed(frame.Seq);
                continue;
            }
            try
            {
                switch (frame.FrameCase)
                {
                    case SessionClientFrame.FrameOneofCase.InputAudio:
                        var audio = frame.InputAudio;
                        await session.SendAudioAsync(frame.Seq, audio.Pcm16.Memory, audio.SampleRate, audio.EventId.Length == 0 ? null : audio.EventId, cancellationToken);
                        acknowledgement.Handed(frame.Seq, audio: true);
                        continue;
                    case SessionClientFrame.FrameOneofCase.ClientEvent:
                        if (turns.ShouldHand(frame.Seq, frame.ClientEvent.Json.Span))
                            await session.SendEventAsync(frame.Seq, frame.ClientEvent.Json.Memory, cancellationToken);
                        break;
                    case SessionClientFrame.FrameOneofCase.Close:
                        acknowledgement.Handed(frame.Seq);
                        return EndReasons.IsWellFormed(frame.Close.Reason) ? frame.Close.Reason : "client_closed";
                    default:
                        throw new RpcException(new Status(StatusCode.InvalidArgument, $"Unexpected frame '{frame.FrameCase}' after start."));
                }
            }
            catch (Exception e) when (IsDefectInHandling(e, cancellationToken))
            {
                // A provider adapter failed on this one frame: a defect to fix, but it costs the client an error event
                // for that frame (with its event_id), not the session.
                logger.LogError(e, "Client frame {Seq} ({Kind}) could not be handed to the provider", frame.Seq, frame.FrameCase);
                var eventId = frame.FrameCase == SessionClientFrame.FrameOneofCase.InputAudio
                    ? frame.InputAudio.EventId is { Length: > 0 } id ? id : null
                    : ClientMessageScanner.TryReadEventId(frame.ClientEvent.Json.Span);
                await output.EventAsync(CanonicalEvent.Of(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, "internal_error",
                    "The server could not process this event; it was discarded and the session continues.", null, eventId)), cancellationToken);
            }
            acknowledgement.Handed(frame.Seq);
        }
        return null;
    }

    /// <summary>Anything but the stream or the provider connection going away (those end or move the session).</summary>
    public static bool IsDefectInHandling(Exception e, CancellationToken cancellationToken) =>
        e is not (OperationCanceledException or RpcException or IOException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        && !cancellationToken.IsCancellationRequested;
}
