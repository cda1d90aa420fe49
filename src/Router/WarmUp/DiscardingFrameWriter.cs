using System.Buffers;
using Google.Protobuf;
using Grpc.Core;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.Router.WarmUp;

/// <summary>
/// The warm-up session's "Gateway": serialises every frame exactly as the gRPC stream would (so that code is warmed
/// too), counts what arrived, and drops it.
/// </summary>
internal sealed class DiscardingFrameWriter : IServerStreamWriter<SessionServerFrame>
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private int _audioFrames;
    private int _events;

    public WriteOptions? WriteOptions { get; set; }

    public int AudioFrames => Volatile.Read(ref _audioFrames);

    public int Events => Volatile.Read(ref _events);

    // The cancellable overload must be implemented: the interface's default refuses a cancellable token.
    public Task WriteAsync(SessionServerFrame message, CancellationToken cancellationToken) => WriteAsync(message);

    public Task WriteAsync(SessionServerFrame message)
    {
        _buffer.ResetWrittenCount();
        message.WriteTo(_buffer);
        if (message.FrameCase == SessionServerFrame.FrameOneofCase.OutputAudio) Interlocked.Increment(ref _audioFrames);
        else if (message.FrameCase == SessionServerFrame.FrameOneofCase.ServerEvent) Interlocked.Increment(ref _events);
        return Task.CompletedTask;
    }

    /// <summary>Waits until no audio frame has arrived for <paramref name="quiet"/> (the script's replies are in), or the token fires.</summary>
    public async Task WaitForQuietAsync(TimeSpan quiet, CancellationToken cancellationToken)
    {
        var seen = -1;
        while (seen != AudioFrames)
        {
            seen = AudioFrames;
            await Task.Delay(quiet, cancellationToken);
        }
    }
}
