using System.Text.Json.Nodes;

namespace VoicePlatform.Cli.Talk;

/// <summary>What a <c>vp talk</c> turn produced: the session, what the assistant said (words and 24 kHz mono PCM16), and usage.</summary>
public sealed record TalkResult(string SessionId, string Transcript, string? InputTranscript, byte[] ReplyAudio, JsonNode? Usage)
{
    public TimeSpan ReplyDuration => TimeSpan.FromSeconds(ReplyAudio.Length / 2.0 / InputAudio.SampleRate);
}
