using Google.Protobuf;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// A client may append up to the message limit (15 MiB of base64) at once; the Router stream carries audio in frames
/// of at most <see cref="MaxFrameBytes"/> so that no frame comes near the stream's message limit, the Router
/// acknowledges big appends progressively, and a re-attach replays from the middle of one instead of all of it.
/// </summary>
public static class InputAudioFrames
{
    /// <summary>One second of 24 kHz PCM16; real-time clients send 20–100 ms frames, far below it.</summary>
    public const int MaxFrameBytes = 48_000;

    /// <summary>Whether <see cref="Split"/> would cut the frame (a large append).</summary>
    public static bool NeedsSplit(SessionClientFrame frame) =>
        frame.FrameCase == SessionClientFrame.FrameOneofCase.InputAudio && frame.InputAudio.Pcm16.Length > MaxFrameBytes;

    /// <summary>The frame itself when small enough, else consecutive pieces (whole samples) carrying the same event id.</summary>
    public static IEnumerable<SessionClientFrame> Split(SessionClientFrame frame)
    {
        if (!NeedsSplit(frame))
        {
            yield return frame;
            yield break;
        }
        var audio = frame.InputAudio;
        for (var offset = 0; offset < audio.Pcm16.Length; offset += MaxFrameBytes)
        {
            var length = Math.Min(MaxFrameBytes, audio.Pcm16.Length - offset);
            yield return new SessionClientFrame
            {
                InputAudio = new InputAudio
                {
                    Pcm16 = ByteString.CopyFrom(audio.Pcm16.Span.Slice(offset, length)),
                    SampleRate = audio.SampleRate,
                    EventId = audio.EventId,
                },
            };
        }
    }
}
