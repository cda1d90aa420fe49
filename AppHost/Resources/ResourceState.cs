namespace VoicePlatform.AppHost.Resources;

public enum ResourceState
{
    NotStarted,
    Starting,
    Running,
    Restarting,
    Failed,
    Stopped,
}
