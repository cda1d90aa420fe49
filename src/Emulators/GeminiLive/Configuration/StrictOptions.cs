namespace VoicePlatform.Emulators.GeminiLive.Configuration;

public sealed class StrictOptions
{
    /// <summary>proto3 JSON parsing on the real service rejects unknown field names with 1007.</summary>
    public bool RejectUnknownFields { get; set; } = true;

    /// <summary>Close code for a first message that is not setup (1007 assumed by the reference).</summary>
    public int NonSetupFirstMessageCloseCode { get; set; } = 1007;

    /// <summary>realtimeInput must carry exactly one field.</summary>
    public bool OneFieldPerRealtimeInput { get; set; } = true;

    /// <summary>activityStart/activityEnd while automatic VAD is on closes 1007.</summary>
    public bool RejectActivitySignalsWithAutomaticVad { get; set; } = true;

    /// <summary>Accept the contextUpdate client message that js-genai 3.x can send (not in the reference).</summary>
    public bool AcceptContextUpdate { get; set; } = true;
}
