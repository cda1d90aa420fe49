namespace VoicePlatform.RealtimeProtocol;

/// <summary>
/// What a listener heard of an assistant message cut short (conversation.item.truncate): the transcript cut in
/// proportion to the audio played, back to a word boundary. The audio has no word timings, so the proportion is the
/// best estimate; a partial word is dropped rather than kept.
/// </summary>
public static class HeardTranscript
{
    /// <summary>The words of <paramref name="transcript"/> within its first <paramref name="fraction"/> (0–1).</summary>
    public static string Prefix(string transcript, double fraction)
    {
        var cut = (int)Math.Floor(transcript.Length * Math.Clamp(fraction, 0, 1));
        if (cut >= transcript.Length)
        {
            return transcript;
        }

        var space = transcript.LastIndexOf(' ', cut);
        return space <= 0 ? string.Empty : transcript[..space];
    }
}
