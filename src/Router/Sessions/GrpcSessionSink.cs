using VoicePlatform.Contracts.Realtime;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// Sends canonical server events to the Gateway over the session's gRPC response stream. gRPC allows one write at a
/// time, and connectors emit from more than one task, so frames go through a bounded queue; whoever finds no write in
/// progress writes the queue out itself (the provider's reader, as a rule), so a frame costs no hop to a writer task.
/// A full queue (the Gateway is not keeping up) back-pressures the emitters instead of growing memory.
/// </summary>
public sealed class GrpcSessionSink : ISessionEventSink
{
    private const int Capacity = 2048;
    private readonly Channel<SessionServerFrame> _frames = Channel.CreateBounded<SessionServerFrame>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly IServerStreamWriter<SessionServerFrame> _stream;
    private readonly CancellationToken _streamToken;
    private readonly SemaphoreSlim _writing = new(1, 1); // held by the one emitter writing the queue out
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ResponseRequests? _requests;
    private volatile bool _broken; // the stream failed: nothing more can be delivered
    private int _ended;
    private volatile bool _handingOff;

    /// <param name="requests">The client's response requests in flight: each response.created says which one it answers.</param>
    public GrpcSessionSink(IServerStreamWriter<SessionServerFrame> stream, CancellationToken cancellationToken, ResponseRequests? requests = null)
    {
        _requests = requests;
        _stream = stream;
        _streamToken = cancellationToken;
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
        await WriteOutAsync();
        await _drained.Task;
    }

    private ValueTask WriteAsync(SessionServerFrame frame, CancellationToken cancellationToken)
    {
        if (_frames.Writer.TryWrite(frame)) return WriteOutAsync();
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
            return;
        }
        await WriteOutAsync();
    }

    /// <summary>Writes the queue out unless another emitter is doing so (it takes what was queued before it lets go).</summary>
    private ValueTask WriteOutAsync() => _writing.Wait(0) ? WriteQueuedAsync() : ValueTask.CompletedTask;

    private async ValueTask WriteQueuedAsync()
    {
        var reader = _frames.Reader;
        while (true)
        {
            try
            {
                while (reader.TryRead(out var frame))
                {
                    if (!_broken) await _stream.WriteAsync(frame, _streamToken);
                }
            }
            catch (Exception)
            {
                // The Gateway went away: what is queued or still comes has no one to go to (the relay ends the session).
                _broken = true;
            }
            finally
            {
                _writing.Release();
            }
            if (reader.Completion.IsCompleted) _drained.TrySetResult();
            // A frame queued while this writer was letting go finds the lock taken and leaves it to us: look again.
            if (!reader.TryPeek(out _) || !_writing.Wait(0)) return;
        }
    }
}
