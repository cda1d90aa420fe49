using System.Text;
using Google.Protobuf;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.Tests.Events;
using VoicePlatform.Router.Tests.Routing.Fallback;

namespace VoicePlatform.Router.Tests.Sessions;

/// <summary>
/// The relay of the Gateway's frames on a resumed session: what the checkpoint already holds is not made twice; and the
/// acknowledgements back.
/// </summary>
public class ClientFramePumpTests
{
    private static SessionClientFrame Audio(ulong seq) =>
        new() { Seq = seq, InputAudio = new InputAudio { Pcm16 = ByteString.CopyFrom(new byte[480 * (int)seq]), SampleRate = 24000 } };

    private static SessionClientFrame Event(ulong seq, string json) =>
        new() { Seq = seq, ClientEvent = new ClientEvent { Json = ByteString.CopyFromUtf8(json) } };

    [Fact]
    public async Task Replayed_frames_the_checkpoint_covers_are_acknowledged_without_reaching_the_provider()
    {
        var session = new ScriptedProviderSession("gpt-realtime", new NullSink(), resume: null);
        var acknowledgement = new InputAcknowledgement();
        acknowledgement.CoveredByCheckpoint(3);
        var turns = new ReplayedTurns(new ResponseRequests(), new HashSet<string>(), NullLogger.Instance, coveredInputSeq: 3);
        var frames = new FrameList([Audio(1), Audio(2), Event(3, """{"type":"input_audio_buffer.commit"}"""), Audio(4), Event(5, """{"type":"response.create"}""")]);

        await ClientFramePump.RelayAsync(frames, session, acknowledgement, turns, new NullSink(), NullLogger.Instance, CancellationToken.None, CancellationToken.None);

        Assert.Equal(["audio:1920", """{"type":"response.create"}"""], session.Received);
        Assert.Equal(5ul, acknowledgement.LastHanded);
        Assert.Equal(3ul, acknowledgement.SafeSeq()); // the covered frames; 4 and 5 wait for their turn
    }

    [Fact]
    public async Task The_first_acknowledgement_goes_out_with_nothing_to_acknowledge_and_later_ones_only_on_change()
    {
        // A resumed session with nothing to answer: without this first Ack the Gateway saw nothing from the Router, and
        // when this stream broke in turn it counted the Router as never found since the break before.
        var time = new FakeTimeProvider();
        var stream = new WrittenFrames();
        var sink = new GrpcSessionSink(stream, CancellationToken.None);
        var acknowledgement = new InputAcknowledgement();
        using var stop = new CancellationTokenSource();
        var interval = TimeSpan.FromMilliseconds(50);
        var acks = ClientFramePump.AcknowledgeAsync(sink, acknowledgement, time, interval, 10 * interval, stop.Token);

        time.Advance(interval);
        var first = await stream.NextAsync();
        Assert.Equal((0ul, 0ul), (first.Ack.Seq, first.Ack.Handed));

        time.Advance(interval);
        time.Advance(interval); // nothing new: no Ack
        acknowledgement.Handed(4);
        time.Advance(interval);
        var second = await stream.NextAsync();
        Assert.Equal(4ul, second.Ack.Handed);

        await stop.CancelAsync();
        await acks;
    }

    [Fact]
    public async Task Progress_made_by_input_audio_alone_is_acknowledged_every_audio_interval_and_a_control_event_at_the_next_tick()
    {
        var time = new FakeTimeProvider();
        var stream = new WrittenFrames();
        var sink = new GrpcSessionSink(stream, CancellationToken.None);
        var acknowledgement = new InputAcknowledgement(time);
        using var stop = new CancellationTokenSource();
        var interval = TimeSpan.FromMilliseconds(50);
        var acks = ClientFramePump.AcknowledgeAsync(sink, acknowledgement, time, interval, 10 * interval, stop.Token);
        time.Advance(interval);
        Assert.Equal(0ul, (await stream.NextAsync()).Ack.Handed);

        // Nine ticks of audio: the line moves at each, but no Ack until the audio interval has passed since the last.
        for (ulong seq = 1; seq <= 9; seq++)
        {
            acknowledgement.Handed(seq, audio: true);
            time.Advance(interval);
        }
        Assert.False(stream.TryNext(out var early), $"an Ack after audio alone, before the audio interval: {early}");
        acknowledgement.Handed(10, audio: true);
        time.Advance(interval);
        Assert.Equal(10ul, (await stream.NextAsync()).Ack.Handed);

        // A control event (a response.create, say) goes out at the next tick.
        acknowledgement.Handed(11, audio: true);
        acknowledgement.Handed(12);
        time.Advance(interval);
        Assert.Equal(12ul, (await stream.NextAsync()).Ack.Handed);

        // So does a commit: the audio before it became safe, and a failover must not replay it.
        acknowledgement.Handed(13, audio: true);
        acknowledgement.Observe(CanonicalEvent.Read("""{"type":"input_audio_buffer.committed","item_id":"item_1"}"""u8.ToArray()));
        time.Advance(interval);
        var committed = await stream.NextAsync();
        Assert.Equal((13ul, 13ul), (committed.Ack.Seq, committed.Ack.Handed));

        await stop.CancelAsync();
        await acks;
    }

    private sealed class WrittenFrames : IServerStreamWriter<SessionServerFrame>
    {
        private readonly Channel<SessionServerFrame> _written = Channel.CreateUnbounded<SessionServerFrame>();

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(SessionServerFrame message) => _written.Writer.WriteAsync(message).AsTask();

        public async Task<SessionServerFrame> NextAsync() => await _written.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        public bool TryNext(out SessionServerFrame? frame) => _written.Reader.TryRead(out frame);
    }

    private sealed class FrameList(IReadOnlyList<SessionClientFrame> frames) : IAsyncStreamReader<SessionClientFrame>
    {
        private int _next;

        public SessionClientFrame Current { get; private set; } = null!;

        public Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (_next == frames.Count) return Task.FromResult(false);
            Current = frames[_next++];
            return Task.FromResult(true);
        }
    }
}
