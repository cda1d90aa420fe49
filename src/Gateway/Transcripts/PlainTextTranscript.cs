using System.Text;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Gateway.Transcripts;

/// <summary>
/// <c>text/plain</c> transcript: one "role: text" line per segment, in timeline order. Interrupted assistant text ends
/// with " [interrupted]" so it is never read as said in full.
/// </summary>
public static class PlainTextTranscript
{
    public const string InterruptedMark = " [interrupted]";

    public static string Write(IEnumerable<TranscriptSegment> segments)
    {
        var text = new StringBuilder();
        foreach (var segment in segments)
            text.Append(segment.Role).Append(": ").Append(OneLine(segment.Text)).Append(segment.Truncated ? InterruptedMark : "").Append('\n');
        return text.ToString();
    }

    /// <summary>Line breaks inside an utterance would break the one-line-per-segment shape (and end a WebVTT cue).</summary>
    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
