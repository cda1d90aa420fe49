namespace VoicePlatform.RealtimeProtocol;

/// <summary>How a model offers proactive audio (the model may speak unasked, or ignore input not meant for it).</summary>
public enum ProactiveAudioSupport
{
    /// <summary>Not offered: the extension field is refused.</summary>
    Unsupported,

    /// <summary>Off unless the client turns it on (Gemini 2.5 native audio).</summary>
    Optional,

    /// <summary>Always on (Gemini 3.8): <c>true</c> is accepted and changes nothing, <c>false</c> is refused.</summary>
    AlwaysOn,
}
