namespace VoicePlatform.Emulators.GeminiLive.Configuration;

public enum BadKeyRejection
{
    /// <summary>Accept the upgrade, read the setup, then close 1008.</summary>
    AfterSetup,
    /// <summary>Accept the upgrade and close 1008 at once.</summary>
    OnConnect,
    /// <summary>Refuse the upgrade with HTTP 403.</summary>
    HttpStatus,
}
