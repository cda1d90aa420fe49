using Google.Protobuf;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.Realtime;

namespace VoicePlatform.Gateway.Tests.Realtime;

/// <summary>Large client appends: split into frames the Router stream carries, buffered as the Router takes them.</summary>
public class ClientFrameBufferTests
{
    private static SessionClientFrame Audio(int bytes) => new()
    {
        InputAudio = new InputAudio { Pcm16 = ByteString.CopyFrom(Enumerable.Range(0, bytes).Select(i => (byte)i).ToArray()), SampleRate = 24000, EventId = "big" },
    };

    [Fact]
    public void A_large_append_becomes_consecutive_frames_of_whole_samples_with_the_same_bytes()
    {
        var frame = Audio(5 * InputAudioFrames.MaxFrameBytes + 1000);
        var pieces = InputAudioFrames.Split(frame).ToList();
        Assert.Equal(6, pieces.Count);
        Assert.All(pieces, p => Assert.InRange(p.InputAudio.Pcm16.Length, 1, InputAudioFrames.MaxFrameBytes));
        Assert.All(pieces, p => Assert.Equal(0, p.InputAudio.Pcm16.Length % 2));
        Assert.All(pieces, p => Assert.Equal(("big", 24000), (p.InputAudio.EventId, p.InputAudio.SampleRate)));
        Assert.Equal(frame.InputAudio.Pcm16.ToByteArray(), pieces.SelectMany(p => p.InputAudio.Pcm16.ToByteArray()).ToArray());
        var small = Audio(960);
        Assert.Same(small, Assert.Single(InputAudioFrames.Split(small)));
    }

    [Fact]
    public void An_empty_buffer_takes_a_frame_larger_than_its_whole_budget()
    {
        var buffer = new ClientFrameBuffer(maxBytes: 1000);
        Assert.True(buffer.TryAppend(Audio(5000)));
        Assert.False(buffer.TryAppend(Audio(10)));
    }

    [Fact]
    public async Task Appending_waits_for_acknowledgements_to_make_room()
    {
        var buffer = new ClientFrameBuffer(maxBytes: 3000);
        Assert.True(buffer.TryAppend(Audio(2000)));
        var waiting = buffer.AppendAsync(Audio(2000), TimeSpan.FromMinutes(1), CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        buffer.Acknowledge(1);
        Assert.True(await waiting);
        Assert.Equal(2UL, buffer.FirstUnacknowledged);
    }

    [Fact]
    public async Task Appending_gives_up_when_no_room_comes()
    {
        var buffer = new ClientFrameBuffer(maxBytes: 3000);
        Assert.True(buffer.TryAppend(Audio(2000)));
        Assert.False(await buffer.AppendAsync(Audio(2000), TimeSpan.FromMilliseconds(50), CancellationToken.None));
    }
}
