namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>Reads the <c>[gemini-fault:CODE]</c> marker of <see cref="Configuration.FaultOptions.TextTriggers"/>.</summary>
internal static class FaultTrigger
{
    private const string Marker = "[gemini-fault:";

    /// <summary>The fault code the text asks for, or null.</summary>
    public static string? Find(string? text)
    {
        if (text is null) return null;
        var start = text.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0) return null;
        start += Marker.Length;
        var end = text.IndexOf(']', start);
        return end > start ? text[start..end] : null;
    }
}
