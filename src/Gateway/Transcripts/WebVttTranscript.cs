using System.Globalization;
using System.Text;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Gateway.Transcripts;

/// <summary>
/// <c>text/vtt</c> transcript: a numbered cue per segment with <c>HH:MM:SS.mmm</c> timings on the session timeline and
/// the speaker as a voice tag (<c>&lt;v user&gt;</c>, <c>&lt;v assistant&gt;</c>); interrupted text is marked. Cues go
/// in start-time order as WebVTT requires (the transcript itself is in conversation order, which queued playback can
/// make differ: an answer played after the user's next typed turn).
/// </summary>
public static class WebVttTranscript
{
    public static string Write(IEnumerable<TranscriptSegment> segments)
    {
        var vtt = new StringBuilder("WEBVTT\n");
        var cue = 0;
        foreach (var segment in segments.OrderBy(s => s.StartMs)) // stable: ties keep conversation order
        {
            var text = Escape(PlainTextTranscript.OneLine(segment.Text)) + (segment.Truncated ? PlainTextTranscript.InterruptedMark : "");
            vtt.Append('\n').Append(++cue).Append('\n')
                .Append(Timestamp(segment.StartMs)).Append(" --> ").Append(Timestamp(Math.Max(segment.StartMs, segment.EndMs))).Append('\n')
                .Append("<v ").Append(segment.Role).Append('>').Append(text).Append('\n');
        }
        return vtt.ToString();
    }

    public static string Timestamp(long milliseconds)
    {
        var ms = Math.Max(0, milliseconds);
        return string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}.{ms % 1000:000}");
    }

    // Cue text is markup: '<' and '&' must be escaped, and '>' too so that "-->" can never appear in it.
    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
