using System.Net.WebSockets;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.Recordings;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// A session's client loop: client messages → canonical frames in the <see cref="ClientFrameBuffer"/>, with the size
/// and rate limits, an <c>error</c> event for each message refused, and the recording tap and quality meter fed with
/// what is forwarded. A full buffer slows the client down (TCP backpressure) rather than losing its input.
/// </summary>
public sealed class ClientInputRelay(
    ClientSocket client,
    RealtimeOptions options,
    TimeProvider clock,
    ClientAudioFormats formats,
    SessionModel model,
    ClientFrameBuffer frames,
    Failover.TurnLedger turns,
    ClientResumeRecord resume,
    SessionRecordingTap recording,
    Quality.SessionQualityMeter quality,
    RealtimeMetrics metrics,
    ILogger logger,
    string sessionId)
{
    private readonly Action<SessionClientFrame> _track = turns.Track; // one delegate, not one per frame

    /// <summary>Reads the client until it closes or <paramref name="cancellationToken"/> ends the session; then completes the buffer.</summary>
    /// <param name="idle">Touched by every client message.</param>
    public async Task RunAsync(ClientIdleTimer? idle, CancellationToken cancellationToken)
    {
        var socket = client.Socket;
        using var reader = new ClientMessageReader(socket, options.MaxMessageBytes);
        var rateLimit = new ClientMessageRateLimit(options.MessagesPerSecond, options.MessageBurst, options.ReattachTimeout, clock);
        var inbound = new ClientEventTranslator(formats, recording.Switch, model);
        try
        {
            // After our close frame (CloseSent) the client's close reply is still read, and whatever it sent before
            // that is drained: a socket torn down with unread data is reset, and a reset can discard our close frame
            // before the client reads it.
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var message = await reader.ReadAsync(cancellationToken);
                if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
                {
                    if (message.Kind == ClientMessageKind.Closed) return; // the reply to our close
                    continue;
                }

                if (message.Kind != ClientMessageKind.Closed) idle?.Touch();
                switch (message.Kind)
                {
                    case ClientMessageKind.Closed:
                        quality.Ending(Quality.QualityEndReasons.ClientClosed); // whatever the Router's end says after it
                        return;
                    case ClientMessageKind.TooLarge:
                        metrics.ClientError("message_too_large");
                        quality.ClientMessageRejected();
                        await client.SendAsync(RealtimeErrorEvent.Invalid("message_too_large",
                            $"The message exceeds the maximum size of {options.MaxMessageBytes} bytes and was discarded.", null,
                            ClientMessageScanner.TryReadEventId(message.Payload.Span, complete: false)).ToJson(), cancellationToken);
                        continue;
                }

                if (!rateLimit.TryAcquire())
                {
                    metrics.ClientError("rate_limit_exceeded");
                    quality.ClientMessageRejected();
                    await client.SendAsync(new RealtimeErrorEvent("rate_limit_error", "rate_limit_exceeded",
                        $"Too many messages: the limit is {options.MessagesPerSecond} per second (burst {options.MessageBurst}). The message was discarded.",
                        null, ClientMessageScanner.TryReadEventId(message.Payload.Span)).ToJson(), cancellationToken);
                    continue;
                }

                var translation = TranslateOrReport(inbound, message.Payload);
                if (translation.Error is { } error)
                {
                    metrics.ClientError(error.Code ?? error.Type);
                    quality.ClientMessageRejected();
                    await client.SendAsync(error.ToJson(), cancellationToken);
                    continue;
                }
                var frame = translation.Frame!;
                if (frame.FrameCase == SessionClientFrame.FrameOneofCase.ClientEvent) await resume.SaveClientChoicesAsync();
                Failover.TurnIds.Assign(frame);
                var buffering = clock.GetTimestamp();
                var buffered = await BufferAsync(frame, cancellationToken);
                rateLimit.ReadingPaused(clock.GetElapsedTime(buffering));
                if (!buffered)
                {
                    metrics.ClientError("input_buffer_full");
                    quality.InputFrameDropped();
                    await client.SendAsync(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, "input_buffer_full",
                        $"The session's model connection took no input for {options.ReattachTimeout.TotalSeconds:0} s while {options.ReattachBufferBytes} bytes were waiting; this message was dropped.",
                        null, TryEventId(frame)).ToJson(), cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            if (!cancellationToken.IsCancellationRequested) quality.Ending(Quality.QualityEndReasons.ClientClosed); // the peer dropped
            logger.LogDebug(e, "Client socket of session {SessionId} ended", sessionId);
        }
        finally
        {
            frames.Complete();
        }
    }

    /// <summary>
    /// The translator is the first code to touch untrusted bytes: whatever it throws is a defect to fix, but it must
    /// cost the client one error event for that message (with its event_id), never the session.
    /// </summary>
    private ClientTranslation TranslateOrReport(ClientEventTranslator inbound, ReadOnlyMemory<byte> payload)
    {
        try
        {
            return inbound.Translate(payload);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Session {SessionId}: a client message could not be translated", sessionId);
            return ClientTranslation.Fail(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, "internal_error",
                "The server could not process this message; it was discarded and the session continues.", null,
                ClientMessageScanner.TryReadEventId(payload.Span)));
        }
    }

    /// <summary>
    /// Buffers a frame for the Router (a large audio append as several frames). When the buffer is full this waits for
    /// the Router to take frames; false when no Router took any for the re-attach timeout and the frame had to be dropped.
    /// </summary>
    private async ValueTask<bool> BufferAsync(SessionClientFrame frame, CancellationToken cancellationToken)
    {
        if (frame.FrameCase == SessionClientFrame.FrameOneofCase.InputAudio && frame.InputAudio.Pcm16.IsEmpty)
            return true; // an empty append (or half a sample, kept for the next one) has nothing to hand on
        if (!InputAudioFrames.NeedsSplit(frame)) return await BufferOneAsync(frame, cancellationToken); // the real-time case
        foreach (var piece in InputAudioFrames.Split(frame))
        {
            if (!await BufferOneAsync(piece, cancellationToken)) return false;
        }
        return true;
    }

    private async ValueTask<bool> BufferOneAsync(SessionClientFrame frame, CancellationToken cancellationToken)
    {
        if (!await frames.AppendAsync(frame, options.ReattachTimeout, cancellationToken, _track)) return false;
        Record(frame);
        return true;
    }

    /// <summary>What the client sent, as forwarded: input audio (caller channel) and truncations (barge-in).</summary>
    private void Record(SessionClientFrame frame)
    {
        if (frame.FrameCase == SessionClientFrame.FrameOneofCase.InputAudio)
        {
            // One instant for the recording and the quality meter (so the user's cue): the tap's first call starts the
            // recorder (tens of ms), which used to put the meter's copy of the first chunk later than the recording's.
            var forwardedAt = recording.Now;
            recording.Caller(frame.InputAudio.Pcm16.Span, frame.InputAudio.SampleRate, forwardedAt);
            quality.ClientAudio(frame.InputAudio.Pcm16.Length, frame.InputAudio.SampleRate, forwardedAt);
        }
        else if (frame.FrameCase == SessionClientFrame.FrameOneofCase.ClientEvent)
        {
            recording.ClientEvent(frame.ClientEvent.Json.Span);
            quality.ClientEvent(RealtimeEventType.Read(frame.ClientEvent.Json.Span), frame.ClientEvent.Json.Span);
        }
    }

    private static string? TryEventId(SessionClientFrame frame) => frame.FrameCase switch
    {
        SessionClientFrame.FrameOneofCase.InputAudio => frame.InputAudio.EventId is { Length: > 0 } id ? id : null,
        SessionClientFrame.FrameOneofCase.ClientEvent => ClientMessageScanner.TryReadEventId(frame.ClientEvent.Json.Span),
        _ => null,
    };
}
