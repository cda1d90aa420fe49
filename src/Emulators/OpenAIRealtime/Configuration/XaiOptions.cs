namespace VoicePlatform.Emulators.OpenAIRealtime.Configuration;

/// <summary>Settings of section <c>OpenAIEmulator:Xai</c>: the xAI Grok voice agent variant (api.x.ai stand-in).</summary>
public sealed class XaiOptions
{
    public const string ConversationFirst = "conversation-first";
    public const string SessionFirst = "session-first";
    public const string NestedIgnore = "ignore";
    public const string NestedAccept = "accept";

    /// <summary>
    /// Order of the two opening events: <c>conversation-first</c> (what xAI's docs show) or <c>session-first</c>
    /// (livekit also handles a leading session.created).
    /// </summary>
    public string OpeningOrder { get; set; } = ConversationFirst;

    /// <summary>
    /// The GA-nested <c>audio.output.voice</c> / <c>audio.input.turn_detection</c> (unconfirmed on xAI):
    /// <c>ignore</c> leaves them unapplied, as a server that does not know them would; <c>accept</c> applies them.
    /// </summary>
    public string NestedAudioFields { get; set; } = NestedIgnore;

    /// <summary>Without user speech this long, <c>input_audio_buffer.timeout_triggered</c> and a proactive response. 0 = off.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>xAI's docs give 30 min on one page and 120 min on another; the shorter is the default.</summary>
    public TimeSpan SessionMaxDuration { get; set; } = TimeSpan.FromMinutes(30);

    public bool AcceptsNestedAudioFields => string.Equals(NestedAudioFields, NestedAccept, StringComparison.OrdinalIgnoreCase);

    public bool SessionCreatedFirst => string.Equals(OpeningOrder, SessionFirst, StringComparison.OrdinalIgnoreCase);
}
