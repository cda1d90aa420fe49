namespace VoicePlatform.Router.Routing.Storage;

/// <summary>Configuration section <c>Routing</c>: limits on what a tenant defines.</summary>
public sealed class RoutingOptions
{
    public const string SectionName = "Routing";

    /// <summary>Most routes one tenant may have.</summary>
    public int MaxRoutesPerTenant { get; set; } = 200;

    /// <summary>Most experiments (in any state) one tenant may have.</summary>
    public int MaxExperimentsPerTenant { get; set; } = 200;

    /// <summary>How long a Router uses a tenant's routes without reading them again (changes are also announced at once).</summary>
    public TimeSpan CacheLifetime { get; set; } = TimeSpan.FromSeconds(2);
}
