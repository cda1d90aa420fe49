namespace VoicePlatform.RealtimeProtocol;

/// <summary>
/// What the session's model lets a client set beyond the common fields: the catalog's capabilities, narrowed by the
/// provider's rules for the model family (e.g. Gemini 3.8 speaks only and has proactive audio always on).
/// </summary>
public sealed record SessionFeatures
{
    /// <summary>A model with none of the optional features, text output allowed.</summary>
    public static readonly SessionFeatures TextAndAudio = new() { TextOutput = true };

    /// <summary><c>output_modalities: ["text"]</c> (native-audio models speak only).</summary>
    public bool TextOutput { get; init; }

    /// <summary><c>session.reasoning</c>.</summary>
    public bool Reasoning { get; init; }

    /// <summary><c>session.extensions.affective_dialog</c>.</summary>
    public bool AffectiveDialog { get; init; }

    /// <summary><c>session.extensions.proactive_audio</c>.</summary>
    public ProactiveAudioSupport ProactiveAudio { get; init; }
}
