namespace VoicePlatform.Emulators.GeminiLive.Configuration;

public enum SessionCapClock
{
    /// <summary>Session time = time spent connected, summed over resumed connections.</summary>
    ConnectedTime,
    /// <summary>Session time = wall time since the session was created.</summary>
    WallClock,
}
