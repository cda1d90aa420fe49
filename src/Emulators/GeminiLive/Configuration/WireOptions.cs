namespace VoicePlatform.Emulators.GeminiLive.Configuration;

public sealed class WireOptions
{
    /// <summary>Empty {"serverContent":{}} frames occur in real traffic.</summary>
    public bool EmitEmptyServerContent { get; set; } = true;

    /// <summary>An interim usage frame (prompt tokens) before model output, as in real traffic.</summary>
    public bool EmitInterimUsage { get; set; } = true;

    /// <summary>Put outputTranscription in the same frame as its audio chunk instead of a frame of its own.</summary>
    public bool BundleTranscriptions { get; set; }

    /// <summary>Add the optional role:"model" to modelTurn.</summary>
    public bool ModelTurnRole { get; set; }
}
