using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.Tests.Events;
using VoicePlatform.Router.Tests.Routing.Fallback;

namespace VoicePlatform.Router.Tests.Sessions;

/// <summary>The relay of the Gateway's frames on a resumed session: what the checkpoint already holds is not made twice.</summary>
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
