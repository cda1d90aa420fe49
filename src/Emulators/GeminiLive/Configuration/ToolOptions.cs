namespace VoicePlatform.Emulators.GeminiLive.Configuration;

public sealed class ToolOptions
{
    /// <summary>Where FunctionResponse.scheduling is read from (SDK: sibling of response; docs: inside response).</summary>
    public SchedulingLocation SchedulingLocation { get; set; } = SchedulingLocation.Both;

    /// <summary>Send toolCallCancellation for pending calls when the user barges in.</summary>
    public bool CancelOnInterruption { get; set; } = true;
}

public enum SchedulingLocation
{
    Both,
    Sibling,
    InsideResponse,
}
