namespace VoicePlatform.ServiceDefaults.Management;

/// <summary>Marks an endpoint as a management endpoint (/health, /alive, /metrics), served on the management port only.</summary>
public sealed class ManagementEndpointMetadata
{
    public static readonly ManagementEndpointMetadata Instance = new();

    private ManagementEndpointMetadata()
    {
    }
}
