using System.Net.WebSockets;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Contracts.SessionSockets;

namespace VoicePlatform.Contracts.Tests.SessionSockets;

/// <summary>
/// The session stream over a WebSocket behaves as the gRPC stream it replaces: messages whole and in order, the
/// outcome carried by the close, a broken connection as <see cref="StatusCode.Unavailable"/>, and a reader that can
/// stop between messages without tearing the socket down.
/// </summary>
public sealed class SocketMessageStreamTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Frames_arrive_whole_and_in_order_both_ways_including_one_larger_than_the_readers_buffer()
    {
        using var pair = await LoopbackSocketPair.ConnectAsync();
        var toServer = new SocketMessageWriter<SessionClientFrame>(pair.Client);
        var atServer = new SocketMessageReader<SessionClientFrame>(pair.Server, SessionClientFrame.Parser, 1 << 20);
        var big = new byte[300_000];
        Random.Shared.NextBytes(big);

        for (ulong seq = 1; seq <= 50; seq++)
            await toServer.WriteAsync(Audio(seq, seq == 25 ? big : new byte[960]));
        for (ulong seq = 1; seq <= 50; seq++)
        {
            Assert.True(await atServer.MoveNext(CancellationToken.None));
            Assert.Equal(seq, atServer.Current.Seq);
            Assert.Equal(seq == 25 ? big.Length : 960, atServer.Current.InputAudio.Pcm16.Length);
        }
        Assert.Equal(big, Bytes(await RoundTripAsync(pair, big)));
    }

    [Fact]
    public async Task A_cancelled_read_leaves_the_socket_open_and_the_next_read_gets_the_next_message()
    {
        using var pair = await LoopbackSocketPair.ConnectAsync();
        var atServer = new SocketMessageReader<SessionClientFrame>(pair.Server, SessionClientFrame.Parser, 1 << 20);
        using var stop = new CancellationTokenSource();
        var waiting = atServer.MoveNext(stop.Token);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        Assert.Equal(WebSocketState.Open, pair.Server.State);
        await new SocketMessageWriter<SessionClientFrame>(pair.Client).WriteAsync(Audio(7, new byte[960]));
        Assert.True(await atServer.MoveNext(CancellationToken.None).WaitAsync(Patience));
        Assert.Equal(7UL, atServer.Current.Seq);
        // The side that stopped reading can still write (a draining Router's hand-off).
        await new SocketMessageWriter<SessionServerFrame>(pair.Server).WriteAsync(new SessionServerFrame { Ack = new Ack { Seq = 7, Handed = 7 } });
        var atClient = new SocketMessageReader<SessionServerFrame>(pair.Client, SessionServerFrame.Parser, 1 << 20);
        Assert.True(await atClient.MoveNext(CancellationToken.None).WaitAsync(Patience));
        Assert.Equal(7UL, atClient.Current.Ack.Seq);
    }

    [Fact]
    public async Task A_normal_close_ends_the_stream_and_a_status_close_throws_that_status_with_its_detail()
    {
        using var pair = await LoopbackSocketPair.ConnectAsync();
        var atClient = new SocketMessageReader<SessionServerFrame>(pair.Client, SessionServerFrame.Parser, 1 << 20);
        var (status, reason) = SessionSocket.CloseFor(new Status(StatusCode.InvalidArgument, "The first frame of a session must be 'start'."));
        await pair.Server.CloseOutputAsync(status, reason, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RpcException>(() => atClient.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("The first frame of a session must be 'start'.", refused.Status.Detail);

        using var other = await LoopbackSocketPair.ConnectAsync();
        var (normal, _) = SessionSocket.CloseFor(Status.DefaultSuccess);
        await other.Server.CloseOutputAsync(normal, null, CancellationToken.None);
        Assert.False(await new SocketMessageReader<SessionServerFrame>(other.Client, SessionServerFrame.Parser, 1 << 20).MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task A_long_detail_is_cut_to_what_a_close_frame_can_carry_and_still_closes()
    {
        using var pair = await LoopbackSocketPair.ConnectAsync();
        var detail = string.Concat(Enumerable.Repeat("Provider connection lost — ", 20));
        var (status, reason) = SessionSocket.CloseFor(new Status(StatusCode.Unavailable, detail));
        Assert.True(Encoding.UTF8.GetByteCount(reason!) <= 123);
        await pair.Server.CloseOutputAsync(status, reason, CancellationToken.None);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new SocketMessageReader<SessionServerFrame>(pair.Client, SessionServerFrame.Parser, 1 << 20).MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.StartsWith("Provider connection lost", error.Status.Detail);
        Assert.EndsWith("...", error.Status.Detail);
    }

    [Fact]
    public async Task A_dropped_connection_reads_as_unavailable_and_tells_the_owner()
    {
        using var pair = await LoopbackSocketPair.ConnectAsync();
        var broken = 0;
        var atServer = new SocketMessageReader<SessionClientFrame>(pair.Server, SessionClientFrame.Parser, 1 << 20, () => broken++);
        var waiting = atServer.MoveNext(CancellationToken.None);
        pair.DropClient();

        var error = await Assert.ThrowsAsync<RpcException>(() => waiting.WaitAsync(Patience));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(1, broken);
    }

    [Fact]
    public async Task A_message_over_the_limit_is_refused_as_resource_exhausted()
    {
        using var pair = await LoopbackSocketPair.ConnectAsync();
        var atServer = new SocketMessageReader<SessionClientFrame>(pair.Server, SessionClientFrame.Parser, 64 * 1024);
        await new SocketMessageWriter<SessionClientFrame>(pair.Client).WriteAsync(Audio(1, new byte[100_000]));

        var error = await Assert.ThrowsAsync<RpcException>(() => atServer.MoveNext(CancellationToken.None).WaitAsync(Patience));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    private static SessionClientFrame Audio(ulong seq, byte[] pcm) =>
        new() { Seq = seq, InputAudio = new InputAudio { Pcm16 = ByteString.CopyFrom(pcm), SampleRate = 24000 } };

    private static async Task<SessionServerFrame> RoundTripAsync(LoopbackSocketPair pair, byte[] pcm)
    {
        await new SocketMessageWriter<SessionServerFrame>(pair.Server).WriteAsync(new SessionServerFrame
        {
            OutputAudio = new OutputAudio { ResponseId = "resp_1", Pcm16 = ByteString.CopyFrom(pcm), SampleRate = 24000 },
        });
        var atClient = new SocketMessageReader<SessionServerFrame>(pair.Client, SessionServerFrame.Parser, 1 << 20);
        Assert.True(await atClient.MoveNext(CancellationToken.None).WaitAsync(Patience));
        return atClient.Current;
    }

    private static byte[] Bytes(SessionServerFrame frame) => frame.OutputAudio.Pcm16.ToByteArray();
}
