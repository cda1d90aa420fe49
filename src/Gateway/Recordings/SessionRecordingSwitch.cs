namespace VoicePlatform.Gateway.Recordings;

/// <summary>
/// Whether one session is being recorded: the tenant's setting unless the client overrode it with the
/// <c>session.recording</c> extension of session.update ("on" / "off"). Never on without a recording store
/// (<paramref name="available"/>). Written by the client loop, read by both loops.
/// </summary>
public sealed class SessionRecordingSwitch(bool tenantDefault, bool available = true)
{
    private const int NoOverride = 0, ForcedOn = 1, ForcedOff = 2;
    private int _override = NoOverride;

    public bool IsOn => available && Volatile.Read(ref _override) switch { ForcedOn => true, ForcedOff => false, _ => tenantDefault };

    /// <summary>Once the client chose, or while the tenant records: then session objects show <c>recording</c>.</summary>
    public bool IsVisible => Volatile.Read(ref _override) != NoOverride || (available && tenantDefault);

    /// <summary>The value shown to the client in session.created / session.updated.</summary>
    public string Value => IsOn ? SessionRecordingOverride.On : SessionRecordingOverride.Off;

    /// <summary>The client's choice: true/false for "on"/"off", null when it has not chosen.</summary>
    public bool? Overridden => Volatile.Read(ref _override) switch { ForcedOn => true, ForcedOff => false, _ => null };

    public void Override(bool on) => Volatile.Write(ref _override, on ? ForcedOn : ForcedOff);
}
