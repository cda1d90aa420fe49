using VoicePlatform.Contracts.Realtime;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// Sends canonical server events to the Gateway over the session's gRPC response stream. gRPC allows one write at a
/// time, and connectors emit from more than one task, so frames go through a bounded channel with a single writer;
/// a full channel (the Gateway is not keeping up) back-pressures the provider reader instead of growing memory.
/// </summary>
public sealed class GrpcSessionSink : ISessionEventSink
{
    private const int Capacity = 2048;
    private readonly Channel<SessionServerFrame> _frames = Channel.CreateBounded<SessionServerFrame>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Task _writer;
    private readonly ResponseRequests? _requests;
    private int _ended;
    private volatile bool _handingOff;

    /// <param name="requests">The client's response requests in flight: each response.created says which one it answers.</param>
    public GrpcSessionSink(IServerStreamWriter<SessionServerFrame> stream, CancellationToken cancellationToken, ResponseRequests? requests = null)
    {
        _requests = requests;
        _writer = WriteAllAsync(stream, cancellationToken);
    }

    /// <summary>Set once the provider session reported its end.</summary>
    public bool Ended => Volatile.Read(ref _ended) == 1;

    /// <summary>
    /// The session is being handed to another Router: from now on nothing the closing provider connection emits (its
    /// close, a "connection lost" error) reaches the client; only <see cref="HandOffAsync"/>'s end does.
    /// </summary>
    public void BeginHandOff() => _handingOff = true;

    /// <summary>Final, exact acknowledgement (what the next Router must be given again), then the hand-off end.</summary>
    public async ValueTask HandOffAsync(string reason, ulong safe, ulong handed)
    {
        _handingOff = false;
        await AckAsync(safe, handed, CancellationToken.None);
        // 1012 is what a Gateway older than SessionEnd.kind reads as a hand-off.
        await EndAsync(SessionEndKind.HandOff, RealtimeCloseCodes.ServiceRestart, reason, CancellationToken.None);
    }

    /// <summary>Another Router took the session over: this stream is stale (the Gateway must not re-attach it here).</summary>
    public ValueTask SupersededAsync() =>
        EndAsync(SessionEndKind.Superseded, RealtimeCloseCodes.ResumedElsewhere, "session_resumed_elsewhere", CancellationToken.None);

    public ValueTask AudioDeltaAsync(OutputAudioRef audio, ReadOnlyMemory<byte> pcm16, int sampleRate, CancellationToken cancellationToken) =>
        _handingOff ? ValueTask.CompletedTask : WriteAsync(new SessionServerFrame
        {
            OutputAudio = new OutputAudio
            {
                ResponseId = audio.ResponseId,
                ItemId = audio.ItemId,
                OutputIndex = audio.OutputIndex,
                ContentIndex = audio.ContentIndex,
                Pcm16 = ByteString.CopyFrom(pcm16.Span),
                SampleRate = sampleRate,
            },
        }, cancellationToken);

    public ValueTask EventAsync(CanonicalEvent serverEvent, CancellationToken cancellationToken)
    {
        var answers = _requests?.Observe(serverEvent) ?? 0;
        return _handingOff ? ValueTask.CompletedTask : WriteAsync(new SessionServerFrame
        {
            ServerEvent = new ServerEvent { Json = ByteString.CopyFrom(serverEvent.Json.Span), AnswersSeq = answers },
        }, cancellationToken);
    }

    /// <summary>Tells the Gateway which input is safe (<paramref name="seq"/>) and which reached the provider (<paramref name="handed"/>).</summary>
    public ValueTask AckAsync(ulong seq, ulong handed, CancellationToken cancellationToken) =>
        Ended ? ValueTask.CompletedTask : WriteAsync(new SessionServerFrame { Ack = new Ack { Seq = seq, Handed = handed } }, cancellationToken);

    /// <summary>The session is over: the Gateway closes the client with <paramref name="closeStatus"/>.</summary>
    public ValueTask EndAsync(int closeStatus, string reason, CancellationToken cancellationToken) =>
        EndAsync(SessionEndKind.Final, closeStatus, reason, cancellationToken);

    private async ValueTask EndAsync(SessionEndKind kind, int closeStatus, string reason, CancellationToken cancellationToken)
    {
        if (_handingOff) return;
        if (Interlocked.Exchange(ref _ended, 1) == 1) return;
        await WriteAsync(new SessionServerFrame { End = new SessionEnd { Kind = kind, CloseStatus = closeStatus, Reason = reason } }, cancellationToken);
        _frames.Writer.TryComplete();
    }

    /// <summary>Stops accepting frames and waits until those queued are written (or the stream failed).</summary>
    public async Task FlushAndCompleteAsync()
    {
        _frames.Writer.TryComplete();
        try
        {
            await _writer;
        }
        catch (Exception) when (_writer.IsCanceled || _writer.IsFaulted)
        {
            // The Gateway went away; nothing left to deliver to.
        }
    }

    private ValueTask WriteAsync(SessionServerFrame frame, CancellationToken cancellationToken)
    {
        if (_frames.Writer.TryWrite(frame)) return ValueTask.CompletedTask;
        return WriteSlowAsync(frame, cancellationToken);
    }

    private async ValueTask WriteSlowAsync(SessionServerFrame frame, CancellationToken cancellationToken)
    {
        try
        {
            await _frames.Writer.WriteAsync(frame, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            // Session already ended: late provider events have no one to go to.
        }
    }

    private async Task WriteAllAsync(IServerStreamWriter<SessionServerFrame> stream, CancellationToken cancellationToken)
    {
        var reader = _frames.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out var frame))
            {
                await stream.WriteAsync(frame, cancellationToken);
            }
        }
    }
}
